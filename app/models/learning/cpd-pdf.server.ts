import { rgb } from "pdf-lib";
import { startRecordPdf, type Writer } from "#app/models/learning/training-records-pdf.server.ts";
import type { CpdRange } from "#app/utils/cpd-validation.ts";
import { formatDate, formatMinutes } from "#app/utils/format.ts";
import type { CpdEntry } from "./cpd.server.ts";

const GREY = rgb(0.35, 0.35, 0.35);
const NAVY = rgb(0x13 / 255, 0x29 / 255, 0x4b / 255);

function rangeWords(range: CpdRange): string {
  if (range.from && range.to) return `Modules completed from ${formatDate(range.from)} to ${formatDate(range.to)}`;
  if (range.from) return `Modules completed on or after ${formatDate(range.from)}`;
  if (range.to) return `Modules completed on or before ${formatDate(range.to)}`;
  return "Every module completed";
}

/** A reflection answer, one paragraph per line the learner typed (the writer wraps at spaces, not newlines). */
async function answer(w: Writer, label: string, text: string | undefined) {
  await w.text(label, { face: "sansSemiBold", gap: 8 });
  if (!text) return w.text("Not written yet.", { indent: 12, color: GREY });
  for (const paragraph of text.split(/\n+/)) if (paragraph.trim()) await w.text(paragraph.replace(/\t/g, " "), { indent: 12 });
}

/**
 * The CPD record as an A4 PDF, through the certificates' font pipeline (any
 * learner's name and any reflection text prints: certificate-pdf/fonts.server.ts).
 */
export async function renderCpdPdf(
  holder: { name: string; email: string },
  entries: readonly CpdEntry[],
  range: CpdRange,
  appUrl: string,
  now: Date = new Date(),
): Promise<Uint8Array> {
  const title = `CPD record: ${holder.name}`;
  const { pdf, w } = await startRecordPdf(title);

  await w.text("CPD record", { face: "serifBold", size: 22, color: NAVY, gap: 0 });
  await w.text(holder.name, { face: "serif", size: 15, gap: 6 });
  await w.text(holder.email, { color: GREY });
  const total = entries.reduce((sum, e) => sum + e.minutesSpent, 0);
  await w.text(`${rangeWords(range)}: ${entries.length} ${entries.length === 1 ? "module" : "modules"}, ${formatMinutes(total)} measured.`, { gap: 8 });
  await w.text(
    `Produced on ${formatDate(now)}. Time spent is measured from your recorded steps in Distinct (lessons completed, assessments started and submitted), not the module's estimate; gaps over 30 minutes count as 30. Each certificate can be checked at ${appUrl}/verify.`,
    { size: 9.5, gap: 6, color: GREY },
  );

  if (entries.length === 0) {
    await w.heading("No modules");
    await w.text("You completed no module in these dates.");
  }
  for (const e of entries) {
    await w.heading(`${e.title}, version ${e.version}`);
    await w.text(
      [`Completed ${formatDate(e.completedAt)}`, `time spent ${formatMinutes(e.minutesSpent)}`, e.organisation ? `for ${e.organisation}` : null]
        .filter(Boolean)
        .join(" · "),
      { gap: 6 },
    );
    if (e.certificateCode) await w.text(`Certificate ${e.certificateCode}: ${appUrl}/verify/${e.certificateCode}`, { color: GREY });
    if (e.outcomes.length > 0) {
      await w.text("Learning outcomes", { face: "sansSemiBold", gap: 8 });
      for (const outcome of e.outcomes) await w.text(`• ${outcome}`, { indent: 12 });
    }
    await answer(w, "What I learned", e.reflection?.learned);
    await answer(w, "How I will apply it", e.reflection?.apply);
  }

  await w.footers(title);
  return pdf.save();
}

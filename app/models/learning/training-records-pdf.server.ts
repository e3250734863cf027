import { PDFDocument, rgb, type PDFPage } from "pdf-lib";
import { CertificateFonts, splitAt, widthOf, type LatinFace, type MixedText } from "#app/models/learning/certificate-pdf/fonts.server.ts";
import { STATUS_LABELS } from "#app/utils/assignment-status.ts";
import { formatDate } from "#app/utils/format.ts";
import type { PersonalData } from "#app/models/platform/personal-data.server.ts";

// A4 portrait in points, with 2 cm margins.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 56.7;
const WIDTH = PAGE.width - 2 * MARGIN;
const NAVY = rgb(0x13 / 255, 0x29 / 255, 0x4b / 255);
const INK = rgb(0.1, 0.1, 0.1);
const GREY = rgb(0.35, 0.35, 0.35);

const CERTIFICATE_WORDS = { valid: "Valid", expiring: "Valid, expiring soon", expired: "Expired", revoked: "Revoked" } as const;

/**
 * Lays text out down A4 pages, wrapping at spaces and starting a new page
 * (numbered in the footer) when one is full. Same fonts as certificates, so
 * any learner's name prints (see certificate-pdf/fonts.server.ts).
 */
export class Writer {
  private page!: PDFPage;
  private y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: CertificateFonts,
  ) {
    this.newPage();
  }

  private newPage() {
    this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = PAGE.height - MARGIN;
  }

  private wrap(text: MixedText, size: number, width: number): MixedText[] {
    const lines: MixedText[] = [];
    let rest = text;
    while (widthOf(rest, size) > width) {
      let cut = -1;
      for (let i = rest.text.indexOf(" "); i > 0; i = rest.text.indexOf(" ", i + 1)) {
        if (widthOf(splitAt(rest, i)[0], size) > width) break;
        cut = i;
      }
      // One word wider than the line (a long email address): let it run on rather than lose it.
      if (cut < 0) break;
      const [line, after] = splitAt(rest, cut);
      lines.push(line);
      rest = after;
    }
    lines.push(rest);
    return lines;
  }

  async text(raw: string, options: { face?: LatinFace; size?: number; gap?: number; indent?: number; color?: ReturnType<typeof rgb> } = {}) {
    const { face = "sans", size = 10.5, gap = 3, indent = 0, color = INK } = options;
    const shaped = await this.fonts.shape(raw, face);
    const leading = size * 1.35;
    this.y -= gap;
    for (const line of this.wrap(shaped, size, WIDTH - indent)) {
      if (this.y - leading < MARGIN + 20) this.newPage();
      this.y -= leading;
      let x = MARGIN + indent;
      for (const run of line.runs) {
        this.page.drawText(run.text, { x, y: this.y + size * 0.25, size, font: run.font, color });
        x += run.font.widthOfTextAtSize(run.text, size);
      }
    }
  }

  async heading(raw: string) {
    if (this.y - 60 < MARGIN + 20) this.newPage();
    await this.text(raw, { face: "sansSemiBold", size: 14, gap: 16, color: NAVY });
    this.y -= 4;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: PAGE.width - MARGIN, y: this.y }, thickness: 0.5, color: GREY });
  }

  async footers(label: string) {
    for (const [index, page] of this.pages.entries()) {
      const shaped = await this.fonts.shape(`${label} · page ${index + 1} of ${this.pages.length}`, "sans");
      let x = MARGIN;
      for (const run of shaped.runs) {
        page.drawText(run.text, { x, y: MARGIN - 24, size: 8, font: run.font, color: GREY });
        x += run.font.widthOfTextAtSize(run.text, 8);
      }
    }
  }
}

const date = (value: string | null) => (value ? formatDate(value) : "");

/** A learner's training records as a PDF: what they have done, as the JSON export holds it, for people to read. */
/** A new record document (training record, CPD record): titled, in British English, by Distinct, with a writer on its first page. */
export async function startRecordPdf(title: string): Promise<{ pdf: PDFDocument; w: Writer }> {
  const pdf = await PDFDocument.create();
  const fonts = new CertificateFonts(pdf);
  pdf.setTitle(title, { showInWindowTitleBar: true });
  pdf.setAuthor("Distinct");
  pdf.setCreator("Distinct");
  pdf.setProducer("Distinct (pdf-lib)");
  pdf.setLanguage("en-GB");
  return { pdf, w: new Writer(pdf, fonts) };
}

export async function renderTrainingRecordsPdf(data: PersonalData, appUrl: string): Promise<Uint8Array> {
  const title = `Training record: ${data.account.name}`;
  const { pdf, w } = await startRecordPdf(title);

  await w.text("Training record", { face: "serifBold", size: 22, color: NAVY, gap: 0 });
  await w.text(data.account.name, { face: "serif", size: 15, gap: 6 });
  await w.text(data.account.email, { color: GREY });
  await w.text(
    `Produced on ${formatDate(data.exportedAt)}. This is a copy of your records in Distinct, not a certificate: each certificate can be checked at ${appUrl}/verify with its code.`,
    { size: 9.5, gap: 10, color: GREY },
  );

  await w.heading("Certificates");
  if (data.certificates.length === 0) await w.text("No certificates yet.");
  for (const c of data.certificates) {
    await w.text(`${c.module}, version ${c.version}`, { face: "sansSemiBold", gap: 8 });
    await w.text(
      [
        `Issued ${date(c.issuedAt)}`,
        c.expiresAt ? `valid until ${date(c.expiresAt)}` : "does not expire",
        CERTIFICATE_WORDS[c.status],
        `code ${c.code}`,
        c.scorePercent != null ? `score ${c.scorePercent}%` : null,
        c.organisation,
      ]
        .filter(Boolean)
        .join(" · "),
      { indent: 12 },
    );
  }

  await w.heading("Assigned training");
  if (data.assignments.length === 0) await w.text("Nothing has been assigned to you.");
  for (const a of data.assignments) {
    await w.text(`${a.module ?? "A module"} (${a.organisation ?? "an organisation"})`, { face: "sansSemiBold", gap: 8 });
    await w.text(
      [STATUS_LABELS[a.status], a.due ? `due ${date(a.due)}${a.extended ? " (extended)" : ""}` : "no due date", a.completedAt ? `completed ${date(a.completedAt)}` : null]
        .filter(Boolean)
        .join(" · "),
      { indent: 12 },
    );
  }

  await w.heading("Modules");
  if (data.enrolments.length === 0) await w.text("You have not started a module.");
  for (const e of data.enrolments) {
    const done = e.lessons.filter((l) => l.completedAt).length;
    await w.text(`${e.title}, version ${e.version}`, { face: "sansSemiBold", gap: 8 });
    await w.text(
      [
        `Started ${date(e.startedAt)}`,
        e.completedAt ? `completed ${date(e.completedAt)}` : `in progress, ${done} of ${e.lessons.length} lessons done`,
        e.organisation ? `for ${e.organisation}` : null,
      ]
        .filter(Boolean)
        .join(" · "),
      { indent: 12 },
    );
  }

  await w.heading("Assessments");
  if (data.attempts.length === 0) await w.text("You have not taken an assessment.");
  for (const a of data.attempts) {
    await w.text(`${a.title}, version ${a.version}: attempt ${a.attemptNumber}`, { face: "sansSemiBold", gap: 8 });
    await w.text(
      a.submittedAt
        ? `Submitted ${date(a.submittedAt)} · score ${a.score ?? 0}% · ${a.passed ? "passed" : "not passed"}`
        : `Started ${date(a.startedAt)}, not submitted`,
      { indent: 12 },
    );
  }

  await w.heading("Organisations");
  if (data.memberships.length === 0) await w.text("You are not in an organisation.");
  for (const m of data.memberships) {
    await w.text(m.organisation, { face: "sansSemiBold", gap: 8 });
    await w.text(
      [
        m.access,
        m.team ? `team ${m.team}` : null,
        m.staffNumber ? `staff number ${m.staffNumber}` : null,
        m.status === "left" ? `left ${date(m.leftAt)}` : m.status === "invited" ? "invited" : m.joinedAt ? `joined ${date(m.joinedAt)}` : "member",
      ]
        .filter(Boolean)
        .join(" · "),
      { indent: 12 },
    );
  }

  await w.footers(title);
  return pdf.save();
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { cpdHolder, cpdRecord } from "#app/models/learning/cpd.server.ts";
import { renderCpdPdf } from "#app/models/learning/cpd-pdf.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { readCpdRange } from "#app/utils/cpd-range.ts";
import { getEnv } from "#app/services/env.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireUser } from "#app/services/session.server.ts";

/** The signed-in learner's CPD record as an A4 PDF, for the dates asked (?from=&to=). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const range = readCpdRange(new URL(request.url));
  if (!range.ok) throw new Response(Object.values(range.errors).join(". "), { status: 400 });
  const [holder, entries] = await Promise.all([cpdHolder(user.id), cpdRecord(user.id, range.range)]);
  invariantResponse(holder, "Your account no longer exists.");
  const pdf = await renderCpdPdf(holder, entries, range.range, getEnv().APP_URL);
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="distinct-cpd-record-${londonDate(new Date())}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}

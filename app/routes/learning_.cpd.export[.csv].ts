import type { LoaderFunctionArgs } from "@remix-run/node";
import { cpdRecord } from "#app/models/learning/cpd.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { cpdCsv } from "#app/utils/cpd-csv.ts";
import { readCpdRange } from "#app/utils/cpd-range.ts";
import { getEnv } from "#app/services/env.server.ts";
import { requireUser } from "#app/services/session.server.ts";

/** The signed-in learner's CPD record as CSV, for the dates asked (?from=&to=). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const range = readCpdRange(new URL(request.url));
  if (!range.ok) throw new Response(Object.values(range.errors).join(". "), { status: 400 });
  const entries = await cpdRecord(user.id, range.range);
  return new Response(cpdCsv(entries, getEnv().APP_URL), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="distinct-cpd-record-${londonDate(new Date())}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}

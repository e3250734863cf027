import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportContext, reportCsvStream, resolveQuery, ReportQueryError } from "#app/models/report.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { requireOrgRole } from "#app/utils/org-permissions.server.ts";
import { parseReportQuery } from "#app/utils/report-query.ts";

/**
 * GET /org/:orgSlug/reports/export.csv: the report's per-person table with
 * the same filters and order as the page, every row, streamed in batches.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const parsed = parseReportQuery(new URL(request.url).searchParams);
  const badRequest = (message: string) => new Response(`${message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!parsed.ok) return badRequest(parsed.message);
  const context = await reportContext(organisation.id);
  let moduleId: string | null;
  try {
    ({ moduleId } = resolveQuery(context, parsed.query));
  } catch (error) {
    if (error instanceof ReportQueryError) return badRequest(error.message);
    throw error;
  }
  const filename = `${organisation.slug}-training-report-${londonDate(new Date())}.csv`;
  return new Response(reportCsvStream(context, parsed.query, moduleId), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Personal data: never kept by a shared cache or the browser's.
      "Cache-Control": "no-store",
    },
  });
}

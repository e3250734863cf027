import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportContext, resolveQuery, ReportQueryError } from "#app/models/report.server.ts";
import { reportXlsxStream } from "#app/models/report-xlsx.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { requireOrgRole } from "#app/utils/org-permissions.server.ts";
import { parseReportQuery } from "#app/utils/report-query.ts";

/**
 * GET /org/:orgSlug/reports/export.xlsx: the same rows as export.csv (same
 * filters, same order) as an Excel workbook, streamed. The CSV stays for
 * tools that want text; the workbook is for people who open the file in a
 * spreadsheet, where a CSV's encoding and types are left to guesswork.
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
  const filename = `${organisation.slug}-training-report-${londonDate(new Date())}.xlsx`;
  return new Response(reportXlsxStream(context, parsed.query, moduleId), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Personal data: never kept by a shared cache or the browser's.
      "Cache-Control": "no-store",
    },
  });
}

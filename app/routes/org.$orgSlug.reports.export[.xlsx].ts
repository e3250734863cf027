import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportXlsxStream } from "#app/models/reporting/report-xlsx.server.ts";
import { reportDownload } from "#app/services/report-download.server.ts";

/**
 * GET /org/:orgSlug/reports/export.xlsx: the same rows as export.csv (same
 * filters, same order) as an Excel workbook, streamed. The CSV stays for
 * tools that want text; the workbook is for people who open the file in a
 * spreadsheet, where a CSV's encoding and types are left to guesswork.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return reportDownload(request, params.orgSlug, {
    extension: "xlsx",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    stream: (context, query, moduleId) => reportXlsxStream(context, query, moduleId),
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportCsvStream } from "#app/models/reporting/report.server.ts";
import { reportDownload } from "#app/services/report-download.server.ts";

/**
 * GET /org/:orgSlug/reports/export.csv: the report's per-person table with
 * the same filters and order as the page, every row, streamed in batches.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return reportDownload(request, params.orgSlug, { extension: "csv", contentType: "text/csv; charset=utf-8", stream: (context, query, moduleId) => reportCsvStream(context, query, moduleId) });
}

import { reportContext, resolveQuery, ReportQueryError, type ReportContext } from "#app/models/reporting/report.server.ts";
import type { ReportQuery } from "#app/utils/report-query.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { parseReportQuery } from "#app/utils/report-query.ts";

type Stream = (context: ReportContext, query: ReportQuery, moduleId: string | null) => ReadableStream<Uint8Array>;

/**
 * One export of the report's per-person table (CSV or XLSX): a training
 * lead's, with the page's filters (a bad one is a 400 naming it), streamed as
 * an attachment named for the organisation and today's London date.
 */
export async function reportDownload(request: Request, orgSlug: string | undefined, file: { extension: string; contentType: string; stream: Stream }): Promise<Response> {
  const { organisation } = await requireOrgRole(request, orgSlug, "admin");
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
  const filename = `${organisation.slug}-training-report-${londonDate(new Date())}.${file.extension}`;
  return new Response(file.stream(context, parsed.query, moduleId), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Personal data: never kept by a shared cache or the browser's.
      "Cache-Control": "no-store",
    },
  });
}

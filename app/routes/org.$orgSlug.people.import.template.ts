import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { STAFF_CSV_TEMPLATE } from "#app/utils/staff-csv-columns.ts";

/** The staff list template, with a byte-order mark so Excel opens it as UTF-8. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrgRole(request, params.orgSlug, "admin");
  return new Response(`\uFEFF${STAFF_CSV_TEMPLATE}`, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="distinct-staff-template.csv"' },
  });
}

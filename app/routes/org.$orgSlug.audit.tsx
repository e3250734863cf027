import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pagination } from "#app/components/ui/pagination.tsx";
import { AUDIT_PAGE_SIZE, listOrganisationAudit } from "#app/models/platform/audit-log.server.ts";
import { ListQuerySchema } from "#app/utils/admin-validation.ts";
import { auditDetails, auditWords } from "#app/utils/audit-words.ts";
import { formatDateTime, plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const url = new URL(request.url);
  const { page } = ListQuerySchema.parse({ page: url.searchParams.get("page") ?? 1, q: "" });
  const { rows, total } = await listOrganisationAudit(organisation.id, page);
  return { organisation, rows, total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Audit log – ${data?.organisation.name ?? ""} – Distinct` }];

export default function AuditPage() {
  const { rows, total, page, pages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audit log</h1>
      <p>Who did what in this organisation: invitations, role changes, removals, assignments and extensions.</p>
      <DataTable caption={<>{plural(total, "event")}, newest first</>} columns={["When", "Who", "What", "Details"]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>{formatDateTime(r.at)}</td>
            <td>{r.actor}</td>
            <td>{auditWords(r.action)}</td>
            <td className="small">{auditDetails(r.details)}</td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={page} pages={pages} href={(p) => `?page=${p}`} label="Audit log pages" previous="← Newer" next="Older →" />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

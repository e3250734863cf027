import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ButtonLink } from "#app/components/ui/button.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { listAssignments } from "#app/models/organisations/assignment.server.ts";
import { STATUS_LABELS, ASSIGNMENT_STATUSES } from "#app/utils/assignment-status.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  return { organisation, assignments: await listAssignments(organisation.id) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Assignments – ${data?.organisation.name ?? ""} – Distinct` }];

export default function AssignmentsPage() {
  const { organisation, assignments } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("withdrawn") ? (
        <Notification tone="success" title={`“${params.get("withdrawn")}” withdrawn`}>
          <p>
            It no longer counts as assigned to {plural(Number.parseInt(params.get("people") ?? "", 10) || 0, "person", "people")}, and no more reminders go out. Their progress and
            certificates are kept.
          </p>
        </Notification>
      ) : null}
      <h1>Assignments</h1>
      <ButtonLink to={`/org/${organisation.slug}/assignments/new`}>Assign a module</ButtonLink>
      {assignments.length === 0 ? (
        <p>No modules are assigned yet.</p>
      ) : (
        <DataTable
          caption={plural(assignments.length, "assignment")}
          columns={["Module", "For", "Due", ...ASSIGNMENT_STATUSES.map((s) => ({ key: s, label: STATUS_LABELS[s], numeric: true }))]}
        >
          {assignments.map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/org/${organisation.slug}/assignments/${a.id}`}>{a.moduleTitle}</Link>
                <div className="small secondary">Assigned {formatDate(a.createdAt)}</div>
              </td>
              <td>{a.target === "organisation" ? "Everyone" : a.target === "team" ? a.teamName : plural(a.people, "named person", "named people")}</td>
              <td>{a.due}</td>
              {ASSIGNMENT_STATUSES.map((s) => (
                <td key={s} className="numeric">
                  {a.byStatus[s].toLocaleString("en-GB")}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Pagination } from "#app/components/ui/pagination.tsx";
import { PersonStatusTag, roleLabel } from "#app/components/status-tags.tsx";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { listPeople, PEOPLE_PAGE_SIZE } from "#app/models/organisations/people.server.ts";
import { listTeams } from "#app/models/organisations/team.server.ts";
import { plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { PeopleFilterSchema } from "#app/utils/org-validation.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const url = new URL(request.url);
  const filter = PeopleFilterSchema.parse(Object.fromEntries(url.searchParams));
  const [{ rows, total }, teams] = await Promise.all([
    listPeople(organisation.id, { q: filter.q || undefined, status: filter.status || undefined, teamId: filter.team || undefined, page: filter.page }),
    listTeams(organisation.id),
  ]);
  return { organisation, rows, total, teams, filter, pages: Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE)) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `People – ${data?.organisation.name ?? ""} – Distinct` }];

export default function PeoplePage() {
  const { organisation, rows, total, teams, filter, pages } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const withdrawn = params.get("withdrawn");
  const base = `/org/${organisation.slug}/people`;
  const pageLink = (p: number) =>
    `?${new URLSearchParams({ ...(filter.q ? { q: filter.q } : {}), ...(filter.status ? { status: filter.status } : {}), ...(filter.team ? { team: filter.team } : {}), page: String(p) })}`;
  return (
    <>
      {withdrawn ? (
        <Notification tone="success" title={`Invitation to ${withdrawn} withdrawn`}>
          <p>Its link no longer works, and any seat it held is free.</p>
        </Notification>
      ) : null}
      <h1>People</h1>
      <div className="button-group">
        <ButtonLink to={`${base}/invite`}>Invite someone</ButtonLink>
        <ButtonLink to={`${base}/import`} variant="secondary">
          Upload a staff list (CSV)
        </ButtonLink>
      </div>
      <Form method="get" className="filters">
        <TextField id="people-q" name="q" type="search" label="Name, email or staff number" defaultValue={filter.q} />
        <SelectField
          id="people-status"
          name="status"
          label="Status"
          defaultValue={filter.status}
          options={[
            { value: "", label: "Everyone" },
            { value: "active", label: "Active" },
            { value: "invited", label: "Invited" },
            { value: "left", label: "Left" },
          ]}
        />
        <SelectField
          id="people-team"
          name="team"
          label="Team"
          defaultValue={filter.team}
          options={[{ value: "", label: "All teams" }, { value: "none", label: "No team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))]}
        />
        <Button variant="secondary">Apply filters</Button>
      </Form>
      <DataTable
        caption={<>{plural(total, "person", "people")}{filter.q || filter.status || filter.team ? " matching the filters" : ""}</>}
        columns={["Name", "Staff number", "Role or rank", "Team", "Access", "Status"]}
      >
        {rows.map((p) => (
          <tr key={p.id}>
            <td>
              <Link to={`${base}/${p.id}`}>{p.name}</Link>
              <div className="small secondary">{p.email}</div>
            </td>
            <td>{p.staffNumber ?? ""}</td>
            <td>{p.rank ?? ""}</td>
            <td>{p.teamName ?? ""}</td>
            <td>{roleLabel(p.role)}</td>
            <td>
              <PersonStatusTag status={p.status} />
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={filter.page} pages={pages} href={pageLink} label="People pages" previous="← Previous" next="Next →" />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

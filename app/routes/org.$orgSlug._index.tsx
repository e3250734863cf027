import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { AssignmentStatusTag } from "#app/components/status-tags.tsx";
import { ButtonLink } from "#app/components/ui/button.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { listAssignments } from "#app/models/organisations/assignment.server.ts";
import { seatSummary } from "#app/models/billing/licence.server.ts";
import { peopleCounts } from "#app/models/organisations/people.server.ts";
import { plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const [counts, seats, assignments] = await Promise.all([
    peopleCounts(organisation.id),
    seatSummary(organisation.id),
    listAssignments(organisation.id),
  ]);
  return { organisation, counts, seats, assignments: assignments.slice(0, 5), assignmentCount: assignments.length };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation.name ?? "Organisation"} – Distinct` }];

export default function OrganisationOverview() {
  const { organisation, counts, seats, assignments, assignmentCount } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("created") ? (
        <Notification tone="success" title={`${organisation.name} has been added`}>
          <p>Its first training lead has been sent an invitation.</p>
        </Notification>
      ) : null}
      <h1>{organisation.name}</h1>
      <ul className="card-list card-list--two">
        <li className="card">
          <h2>People</h2>
          <p>
            {plural(counts.active, "active member")}, {plural(counts.invited, "invitation")} waiting
            {counts.left ? `, ${counts.left} left` : ""}. {plural(counts.leads, "training lead")}.
          </p>
          <div className="button-group">
            <ButtonLink to={`/org/${organisation.slug}/people/invite`}>Invite someone</ButtonLink>
            <ButtonLink to={`/org/${organisation.slug}/people/import`} variant="secondary">
              Upload a staff list
            </ButtonLink>
          </div>
        </li>
        <li className="card">
          <h2>Seats</h2>
          <p>
            {seats.used.toLocaleString("en-GB")} of {seats.seats.toLocaleString("en-GB")} learner seats in use
            {seats.reserved ? `, ${seats.reserved.toLocaleString("en-GB")} held by invitations` : ""}; {seats.free.toLocaleString("en-GB")} free.
          </p>
          <p>
            <Link to={`/org/${organisation.slug}/billing`}>Seats and billing</Link>
          </p>
        </li>
      </ul>
      <h2>Assignments</h2>
      {assignments.length === 0 ? (
        <p>
          No modules assigned yet. <Link to={`/org/${organisation.slug}/assignments/new`}>Assign a module</Link>.
        </p>
      ) : (
        <>
          <ul className="task-list">
            {assignments.map((a: (typeof assignments)[number]) => (
              <li key={a.id} className="task-list__item">
                <span className="task-list__name">
                  <Link to={`/org/${organisation.slug}/assignments/${a.id}`}>{a.moduleTitle}</Link>{" "}
                  <span className="secondary">
                    {a.target === "organisation" ? "everyone" : a.target === "team" ? a.teamName : plural(a.people, "person", "people")}, due {a.due}
                  </span>
                </span>
                <span>
                  {a.byStatus.completed} of {a.total} completed
                  {a.byStatus.overdue ? (
                    <>
                      {" "}
                      <AssignmentStatusTag status="overdue" /> {a.byStatus.overdue}
                    </>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
          {assignmentCount > assignments.length ? <Link to={`/org/${organisation.slug}/assignments`}>All {assignmentCount} assignments</Link> : null}
        </>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

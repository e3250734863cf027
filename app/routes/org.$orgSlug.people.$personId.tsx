import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { PersonFields } from "#app/components/person-fields.tsx";
import { AssignmentStatusTag, PersonStatusTag, roleLabel } from "#app/components/status-tags.tsx";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ConfirmAction } from "#app/components/ui/confirm.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { SeatLimitError } from "#app/models/billing/licence.server.ts";
import { getPerson, personAssignments, PersonInputError, PersonNotFoundError, removePerson, updatePerson } from "#app/models/organisations/people.server.ts";
import { resendInvitation, revokeInvitation } from "#app/models/organisations/invitation.server.ts";
import { listTeams } from "#app/models/organisations/team.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { PersonActionSchema } from "#app/utils/org-validation.ts";
import { DataTable } from "#app/components/ui/table.tsx";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const person = await getPerson(organisation.id, params.personId ?? "");
  invariantResponse(person, "There is no such person in this organisation.");
  const [teams, assignments] = await Promise.all([listTeams(organisation.id), personAssignments(organisation.id, person.id)]);
  const { userId: _userId, organizationId: _org, ...shown } = person;
  return { organisation, person: shown, teams, assignments };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  // Someone of another organisation is not found, whatever the form says.
  invariantResponse(await getPerson(organisation.id, params.personId ?? ""), "There is no such person in this organisation.");
  const submission = parseWithZod(await request.formData(), { schema: PersonActionSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const personId = params.personId ?? "";
  const here = `/org/${organisation.slug}/people/${personId}`;
  try {
    const v = submission.value;
    switch (v.intent) {
      case "update":
        await updatePerson(user, organisation.id, personId, { name: v.name, staffNumber: v.staffNumber ?? null, rank: v.rank ?? null, teamId: v.teamId ?? null, role: v.role });
        return redirect(`${here}?saved=1`);
      case "resend":
        await resendInvitation(user, organisation.id, personId);
        return redirect(`${here}?resent=1`);
      case "revoke":
      {
        const person = await getPerson(organisation.id, personId);
        await revokeInvitation(user, organisation.id, personId);
        return redirect(`/org/${organisation.slug}/people?${new URLSearchParams({ withdrawn: person ? `${person.name} (${person.email})` : "the person" })}`);
      }
      case "remove":
        await removePerson(user, organisation.id, personId);
        return redirect(`${here}?removed=1`);
    }
  } catch (error) {
    if (error instanceof PersonNotFoundError) throw new Response("There is no such person in this organisation.", { status: 404 });
    if (error instanceof PersonInputError) {
      return data({ result: submission.reply(error.field === "form" ? { formErrors: [error.message] } : { fieldErrors: { [error.field]: [error.message] } }) }, { status: 400 });
    }
    if (error instanceof SeatLimitError) return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 400 });
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Person"} – ${data?.organisation.name ?? ""} – Distinct` }];

const notices: Record<string, string> = {
  invited: "Invitation sent",
  saved: "Changes saved",
  resent: "A new invitation has been sent",
};

type PersonData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function PersonPage() {
  const { organisation, person, teams, assignments } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = [...params.keys()].map((k) => notices[k]).find(Boolean);
  const [form, fields] = useForm({
    id: "person",
    lastResult: actionData?.result,
    defaultValue: { name: person.name, staffNumber: person.staffNumber ?? "", rank: person.rank ?? "", teamId: person.teamId ?? "", role: person.role },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PersonActionSchema }),
    shouldValidate: "onSubmit",
  });
  const here = `/org/${organisation.slug}/people/${person.id}`;
  // ?confirm=revoke|remove is the confirmation step of those actions.
  const confirming = params.get("confirm");
  if (confirming === "revoke" && person.status === "invited" && !actionData) {
    return (
      <ConfirmAction
        caption={person.email}
        question={`Withdraw the invitation to ${person.name}?`}
        consequences={[
          "stop the link in their invitation email from working",
          `take ${person.name} off the list of people (they never joined)`,
          ...(person.role === "member" ? ["free the seat the invitation was holding"] : []),
        ]}
        intent="revoke"
        confirmLabel="Yes, withdraw the invitation"
        cancelTo={here}
        reloadDocument
      />
    );
  }
  if (confirming === "remove" && person.status === "active" && !actionData) {
    return (
      <ConfirmAction
        caption={person.email}
        question={`Remove ${person.name} from ${organisation.name}?`}
        consequences={[
          `end ${person.name}'s access to ${organisation.name}'s training at once`,
          ...(person.role === "member" ? ["free their seat"] : []),
          "keep their training records and certificates; reports show them as left",
        ]}
        intent="remove"
        confirmLabel={`Yes, remove ${person.name}`}
        cancelTo={here}
      />
    );
  }
  return (
    <>
      <ErrorSummary errors={summaryErrors(form.errors, [fields.name, fields.staffNumber, fields.rank, fields.teamId, fields.role])} />
      {notice ? <Notification tone="success" title={notice} /> : null}
      {params.get("removed") && person.status === "left" ? (
        <Notification tone="success" title={`${person.name} has been removed from ${organisation.name}`}>
          <p>They can no longer use its training{person.role === "member" ? ", and their seat is free" : ""}. Their training records are kept.</p>
        </Notification>
      ) : null}
      <p>
        <Link to={`/org/${organisation.slug}/people`}>← All people</Link>
      </p>
      <span className="caption">{person.email}</span>
      <h1>{person.name}</h1>
      <dl className="summary-list">
        <SummaryRow label="Status">
          <PersonStatusTag status={person.status} />{" "}
          {person.status === "invited"
            ? `Invited ${formatDate(person.invitedAt)}${person.invitationExpiresAt ? `; the link works until ${formatDate(person.invitationExpiresAt)}` : ""}`
            : person.status === "active"
              ? `Joined ${formatDate(person.joinedAt)}`
              : `Left ${formatDate(person.leftAt)}`}
        </SummaryRow>
        <SummaryRow label="Access">{roleLabel(person.role)}</SummaryRow>
      </dl>

      <AssignedTraining person={person} assignments={assignments} orgSlug={organisation.slug} />

      {person.status !== "left" ? (
        <>
          <h2>Details</h2>
          <Form method="post" {...getFormProps(form)} noValidate className="two-thirds">
            <input type="hidden" name="intent" value="update" />
            <PersonFields fields={fields} teams={teams} />
            <Button>Save changes</Button>
          </Form>
        </>
      ) : null}

      <InvitationActions person={person} here={here} />
      <RemoveAction person={person} organisation={organisation} here={here} />
    </>
  );
}

function RemoveAction({ person, organisation, here }: Pick<PersonData, "person" | "organisation"> & { here: string }) {
  return (
    <>
      {person.status === "active" ? (
        <>
          <h2>Remove from {organisation.name}</h2>
          <p>They lose access to the organisation at once. Their training records and certificates are kept, and reports show them as left.</p>
          <ButtonLink to={`${here}?confirm=remove`} variant="warning">
            Remove {person.name}
          </ButtonLink>
        </>
      ) : null}
    </>
  );
}

function InvitationActions({ person, here }: { person: PersonData["person"]; here: string }) {
  return (
    <>
      {person.status === "invited" ? (
        <>
          <h2>Invitation</h2>
          <div className="button-group">
            <Form method="post">
              <input type="hidden" name="intent" value="resend" />
              <Button variant="secondary">Send the invitation again</Button>
            </Form>
            <ButtonLink to={`${here}?confirm=revoke`} variant="warning">
              Withdraw the invitation
            </ButtonLink>
          </div>
        </>
      ) : null}
    </>
  );
}

function AssignedTraining({ person, assignments, orgSlug }: { person: PersonData["person"]; assignments: PersonData["assignments"]; orgSlug: string }) {
  return (
    <>
      <h2>Assigned training</h2>
      {assignments.length === 0 ? (
        <p>Nothing is assigned to {person.name}.</p>
      ) : (
        <DataTable caption={<>Assigned training of {person.name}</>} hideCaption columns={["Module", "Due", "Status"]}>
          {assignments.map((a) => (
            <tr key={a.assignmentId}>
              <td>
                <Link to={`/org/${orgSlug}/assignments/${a.assignmentId}`}>{a.moduleTitle}</Link>
              </td>
              <td>
                {a.due ? formatDate(`${a.due}T12:00:00Z`) : "No due date"}
                {a.extended ? " (extended)" : ""}
              </td>
              <td>
                <AssignmentStatusTag status={a.status} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

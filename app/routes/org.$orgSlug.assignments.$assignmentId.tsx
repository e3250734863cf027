import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AssignmentStatusTag } from "#app/components/status-tags.tsx";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ConfirmAction } from "#app/components/ui/confirm.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { AssignmentInputError, AssignmentNotFoundError, assignmentExists, extendDueDate, getAssignment, withdrawAssignment } from "#app/models/organisations/assignment.server.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { ExtensionSchema, WithdrawSchema } from "#app/utils/org-validation.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const assignment = await getAssignment(organisation.id, params.assignmentId ?? "");
  invariantResponse(assignment, "There is no such assignment in this organisation.");
  return { organisation, assignment };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const assignmentId = params.assignmentId ?? "";
  // An assignment of another organisation is not found, whatever the form says.
  invariantResponse(await assignmentExists(organisation.id, assignmentId), "There is no such assignment in this organisation.");
  const formData = await request.formData();
  try {
    if (formData.get("intent") === "withdraw") {
      const parsed = WithdrawSchema.safeParse(Object.fromEntries(formData));
      invariantResponse(parsed.success, "Use the Withdraw button.", { status: 400 });
      const assignment = await getAssignment(organisation.id, assignmentId);
      await withdrawAssignment(user, organisation.id, assignmentId);
      return redirect(`/org/${organisation.slug}/assignments?${new URLSearchParams({ withdrawn: assignment?.moduleTitle ?? "The module", people: String(assignment?.people.length ?? 0) })}`);
    }
    const submission = parseWithZod(formData, { schema: ExtensionSchema });
    if (submission.status !== "success") return data({ errors: submission.error ?? {} }, { status: 400 });
    await extendDueDate(user, organisation.id, assignmentId, submission.value.personId, submission.value.dueDate, submission.value.reason);
    return redirect(`/org/${organisation.slug}/assignments/${assignmentId}?extended=1`);
  } catch (error) {
    if (error instanceof AssignmentNotFoundError) throw new Response("There is no such assignment or person in this organisation.", { status: 404 });
    if (error instanceof AssignmentInputError) return data({ errors: { [error.field]: [error.message] } }, { status: 400 });
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.assignment.moduleTitle ?? "Assignment"} – ${data?.organisation.name ?? ""} – Distinct` }];

export default function AssignmentPage() {
  const { organisation, assignment } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = actionData?.errors ?? {};
  const fieldError = (name: string) => {
    const e = (errors as Record<string, string[] | null | undefined>)[name];
    return e && e.length ? e : undefined;
  };
  const here = `/org/${organisation.slug}/assignments/${assignment.id}`;
  // ?confirm=withdraw is the confirmation step of withdrawing.
  if (params.get("confirm") === "withdraw" && !actionData) {
    return (
      <ConfirmAction
        caption="Assignment"
        question={`Withdraw “${assignment.moduleTitle}” from ${plural(assignment.people.length, "person", "people")}?`}
        consequences={[
          `stop “${assignment.moduleTitle}” counting as assigned to them in reports, and stop its reminders`,
          "keep everyone's progress and certificates",
        ]}
        intent="withdraw"
        confirmLabel="Yes, withdraw the assignment"
        cancelTo={here}
        reloadDocument
      />
    );
  }
  const summary = (["personId", "dueDate", "reason"] as const).flatMap((f) => (fieldError(f) ? [{ href: `#extension-${f}`, message: fieldError(f)![0]! }] : []));
  return (
    <>
      <ErrorSummary errors={summary} />
      {params.get("created") ? <AssignedNotification
          people={assignment.people.map((p) => ({ name: p.person.name, status: p.personStatus }))}
          requiredVersion={assignment.requiredVersion}
        /> : null}
      {params.get("extended") ? <Notification tone="success" title="Due date extended" /> : null}
      <p>
        <Link to={`/org/${organisation.slug}/assignments`}>← All assignments</Link>
      </p>
      <span className="caption">Assignment</span>
      <h1>{assignment.moduleTitle}</h1>
      <p>
        For {assignment.target === "organisation" ? "everyone" : assignment.target === "team" ? `the team ${assignment.teamName}` : "named people"}, due{" "}
        {assignment.due}. Assigned {formatDate(assignment.createdAt)}.
      </p>
      {assignment.requiredVersion ? (
        <p>
          <strong>Version {assignment.requiredVersion} or later.</strong> Completing an earlier version does not count for this assignment.
        </p>
      ) : null}
      <DataTable
        caption={<>{plural(assignment.people.length, "person", "people")} assigned</>}
        columns={["Name", "Staff number", "Due", "Status", "Completed"]}
      >
        {assignment.people.map((p) => (
          <tr key={p.personId}>
            <td>
              <Link to={`/org/${organisation.slug}/people/${p.personId}`}>{p.person.name}</Link>
              {p.personStatus === "invited" ? <span className="secondary"> (invited)</span> : null}
            </td>
            <td>{p.person.staffNumber ?? ""}</td>
            <td>
              {p.due ? formatDate(`${p.due}T12:00:00Z`) : "No due date"}
              {p.extended ? " (extended)" : ""}
            </td>
            <td>
              <AssignmentStatusTag status={p.status} />
            </td>
            <td>{p.completedAt ? formatDate(p.completedAt) : ""}</td>
          </tr>
        ))}
      </DataTable>

      <h2>Extend the due date for one person</h2>
      <Form method="post" className="two-thirds" noValidate>
        <input type="hidden" name="intent" value="extend" />
        <SelectField
          id="extension-personId"
          name="personId"
          label="Person"
          errors={fieldError("personId")}
          options={[{ value: "", label: "Choose a person" }, ...assignment.people.map((p) => ({ value: p.personId, label: `${p.person.name}${p.person.staffNumber ? ` (${p.person.staffNumber})` : ""}` }))]}
        />
        <TextField id="extension-dueDate" name="dueDate" type="date" label="New due date" className="input--narrow" errors={fieldError("dueDate")} />
        <TextAreaField id="extension-reason" name="reason" label="Reason" hint="For example, long-term sick leave. Kept in the audit log." errors={fieldError("reason")} rows={2} />
        <Button variant="secondary">Extend due date</Button>
      </Form>

      <h2>Withdraw this assignment</h2>
      <p>It stops counting in reports and reminders. Progress and certificates stay.</p>
      <ButtonLink to={`${here}?confirm=withdraw`} variant="warning">
        Withdraw assignment
      </ButtonLink>
    </>
  );
}

/** At most this many names in each list of the confirmation; the table below has everyone. */
const NAMES_SHOWN = 10;

function names(list: string[]): string {
  const shown = list.slice(0, NAMES_SHOWN).join(", ");
  return list.length > NAMES_SHOWN ? `${shown} and ${plural(list.length - NAMES_SHOWN, "other")}` : shown;
}

/**
 * What assigning did, exactly: assigning mails the people who have joined;
 * people still invited are mailed their assignments when they accept (see
 * acceptInvitation). Just after the redirect, the people's states are those
 * the mail was queued for.
 */
function AssignedNotification({ people, requiredVersion }: { people: { name: string; status: "invited" | "active" | "left" }[]; requiredVersion: number | null }) {
  const emailed = people.filter((p) => p.status === "active").map((p) => p.name);
  const waiting = people.filter((p) => p.status === "invited").map((p) => p.name);
  return (
    <Notification tone="success" title={`${requiredVersion ? `Version ${requiredVersion}` : "Module"} assigned to ${plural(people.length, "person", "people")}`}>
      {emailed.length > 0 ? (
        <p>
          Emailed now ({plural(emailed.length, "person", "people")} who {emailed.length === 1 ? "has" : "have"} joined): {names(emailed)}.
        </p>
      ) : (
        <p>No one has been emailed yet: no one assigned has joined.</p>
      )}
      {waiting.length > 0 ? (
        <p>
          Still invited, so emailed when they accept their invitation ({plural(waiting.length, "person", "people")}): {names(waiting)}.
        </p>
      ) : null}
    </Notification>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

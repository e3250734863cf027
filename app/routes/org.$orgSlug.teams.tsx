import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ConfirmAction } from "#app/components/ui/confirm.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { createTeam, deleteTeam, listTeams, renameTeam, TeamInputError, TeamNotFoundError } from "#app/models/organisations/team.server.ts";
import { plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { TeamActionSchema } from "#app/utils/org-validation.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const teams = await listTeams(organisation.id);
  // ?delete=<team id> is the confirmation step of deleting that team.
  const deleting = new URL(request.url).searchParams.get("delete");
  const confirmDelete = deleting === null ? null : (teams.find((t) => t.id === deleting) ?? null);
  invariantResponse(deleting === null || confirmDelete, "There is no such team in this organisation.");
  return { organisation, teams, confirmDelete };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: TeamActionSchema });
  if (submission.status !== "success") {
    const error = submission.error ?? {};
    const message = Object.values(error).flat().find(Boolean) ?? "Check the form";
    // A bad new name for a team is shown at that team's rename field, not at "New team".
    const asked = formData.get("teamId");
    const teamId = formData.get("intent") === "rename" && typeof asked === "string" ? asked : null;
    return data({ error: message, teamId }, { status: 400 });
  }
  const v = submission.value;
  try {
    if (v.intent === "create") await createTeam(user, organisation.id, v.name);
    else if (v.intent === "rename") await renameTeam(user, organisation.id, v.teamId, v.name);
    else {
      const deleted = await deleteTeam(user, organisation.id, v.teamId);
      const message = new URLSearchParams({ deleted: deleted.name, moved: String(deleted.people) });
      return redirect(`/org/${organisation.slug}/teams?${message}`);
    }
  } catch (error) {
    if (error instanceof TeamNotFoundError) throw new Response("There is no such team in this organisation.", { status: 404 });
    if (error instanceof TeamInputError) return data({ error: error.message, teamId: v.intent === "create" ? null : v.teamId }, { status: 400 });
    throw error;
  }
  return redirect(`/org/${organisation.slug}/teams`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Teams – ${data?.organisation.name ?? ""} – Distinct` }];

export default function TeamsPage() {
  const { organisation, teams, confirmDelete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errorFor = (teamId: string | null) => (actionData && actionData.teamId === teamId ? [actionData.error] : undefined);
  const base = `/org/${organisation.slug}/teams`;
  if (confirmDelete && !actionData) {
    return (
      <ConfirmAction
        caption="Teams"
        question={`Delete the team “${confirmDelete.name}”?`}
        consequences={[
          `delete the team “${confirmDelete.name}” for good`,
          confirmDelete.members > 0
            ? `leave its ${plural(confirmDelete.members, "person", "people")} in ${organisation.name} with no team (their training records are kept)`
            : "affect no one: the team has no people",
        ]}
        intent="delete"
        fields={{ teamId: confirmDelete.id }}
        confirmLabel="Yes, delete the team"
        cancelTo={base}
        reloadDocument
      />
    );
  }
  const deleted = params.get("deleted");
  const moved = Number.parseInt(params.get("moved") ?? "", 10) || 0;
  return (
    <>
      <ErrorSummary errors={actionData?.error ? [{ href: actionData.teamId ? `#rename-${actionData.teamId}` : "#new-team", message: actionData.error }] : []} />
      {deleted ? (
        <Notification tone="success" title={`Team “${deleted}” deleted`}>
          <p>{moved > 0 ? `Its ${plural(moved, "person", "people")} now have no team.` : "It had no people."}</p>
        </Notification>
      ) : null}
      <h1>Teams</h1>
      <p className="two-thirds">
        Teams are your basic command units, departments or hubs. Assign a module to a team, and see reports by team. A
        staff list upload creates the teams it names.
      </p>
      <Form method="post" className="two-thirds">
        <input type="hidden" name="intent" value="create" />
        <TextField id="new-team" name="name" label="New team" hint="For example, Response Team A or Victim and Witness Hub" errors={errorFor(null)} />
        <Button>Add team</Button>
      </Form>
      <DataTable caption={plural(teams.length, "team")} columns={["Team", { label: "People", numeric: true }, "Rename", "Delete"]}>
        {teams.map((t) => (
          <tr key={t.id}>
            <td>
              <Link to={`/org/${organisation.slug}/people?team=${t.id}`}>{t.name}</Link>
            </td>
            <td className="numeric">{t.members}</td>
            <td>
              <Form method="post" className="inline-row">
                <input type="hidden" name="intent" value="rename" />
                <input type="hidden" name="teamId" value={t.id} />
                <TextField id={`rename-${t.id}`} name="name" label={`New name for ${t.name}`} defaultValue={t.name} errors={errorFor(t.id)} />
                <Button variant="secondary">Rename</Button>
              </Form>
            </td>
            <td>
              <ButtonLink to={`${base}?delete=${t.id}`} variant="warning">
                Delete<span className="visually-hidden"> {t.name}</span>
              </ButtonLink>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

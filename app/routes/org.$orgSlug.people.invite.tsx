import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { PersonFields } from "#app/components/person-fields.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { SeatLimitError } from "#app/models/billing/licence.server.ts";
import { PersonInputError } from "#app/models/organisations/people.server.ts";
import { invitePerson } from "#app/models/organisations/invitation.server.ts";
import { listTeams } from "#app/models/organisations/team.server.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { InviteSchema } from "#app/utils/org-validation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  return { organisation, teams: await listTeams(organisation.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const submission = parseWithZod(await request.formData(), { schema: InviteSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const v = submission.value;
  try {
    const { personId } = await invitePerson(user, organisation.id, {
      email: v.email,
      name: v.name,
      staffNumber: v.staffNumber ?? null,
      rank: v.rank ?? null,
      teamId: v.teamId ?? null,
      role: v.role,
    });
    return redirect(`/org/${organisation.slug}/people/${personId}?invited=1`);
  } catch (error) {
    if (error instanceof PersonInputError) {
      return data({ result: submission.reply(error.field === "form" ? { formErrors: [error.message] } : { fieldErrors: { [error.field]: [error.message] } }) }, { status: 400 });
    }
    if (error instanceof SeatLimitError) return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 400 });
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Invite someone – ${data?.organisation.name ?? ""} – Distinct` }];

export default function InvitePage() {
  const { organisation, teams } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "invite",
    lastResult: actionData?.result,
    constraint: getZodConstraint(InviteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.email, fields.name, fields.staffNumber, fields.rank, fields.teamId, fields.role])} />
      <h1>Invite someone</h1>
      <p>
        They get an email with a link to join {organisation.name}. To add many people at once,{" "}
        <Link to={`/org/${organisation.slug}/people/import`}>upload a staff list</Link>.
      </p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField label="Email address" hint="Their work email address" errors={fields.email.errors} spellCheck={false} {...getInputProps(fields.email, { type: "email", ariaAttributes: false })} id={fields.email.id} />
        <PersonFields fields={fields} teams={teams} />
        <Button>Send invitation</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

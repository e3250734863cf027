import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { ChoiceGroup, SelectField, TextAreaField, TextField, bindField } from "#app/components/ui/field.tsx";
import { AssignmentInputError, assignmentFormOptions, createAssignment, resolvePeopleList } from "#app/models/organisations/assignment.server.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { AssignmentSchema } from "#app/utils/org-validation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const options = await assignmentFormOptions(organisation.id);
  return { organisation, modules: options.modules, teams: options.teams };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const submission = parseWithZod(await request.formData(), { schema: AssignmentSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const v = submission.value;
  let personIds: string[] = [];
  if (v.target === "people") {
    const resolved = await resolvePeopleList(organisation.id, v.people ?? "");
    if (resolved.unknown.length > 0) {
      return data(
        { result: submission.reply({ fieldErrors: { people: [`No one in ${organisation.name} has ${resolved.unknown.length === 1 ? "this email or staff number" : "these emails or staff numbers"}: ${resolved.unknown.slice(0, 10).join(", ")}${resolved.unknown.length > 10 ? "…" : ""}`] } }) },
        { status: 400 },
      );
    }
    personIds = resolved.ids;
  }
  try {
    const id = await createAssignment(user, organisation.id, {
      moduleSlug: v.module,
      target: v.target,
      teamId: v.target === "team" ? (v.teamId ?? null) : null,
      personIds,
      dueDate: v.dueType === "date" ? (v.dueDate ?? null) : null,
      dueDays: v.dueType === "days" ? (v.dueDays ?? null) : null,
    });
    return redirect(`/org/${organisation.slug}/assignments/${id}?created=1`);
  } catch (error) {
    if (error instanceof AssignmentInputError) {
      const field = error.field === "personIds" ? "people" : error.field;
      return data({ result: submission.reply({ fieldErrors: { [field]: [error.message] } }) }, { status: 400 });
    }
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Assign a module – ${data?.organisation.name ?? ""} – Distinct` }];

export default function NewAssignmentPage() {
  const { modules, teams } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "assignment",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AssignmentSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.module, fields.target, fields.teamId, fields.people, fields.dueType, fields.dueDate, fields.dueDays])} />
      <h1>Assign a module</h1>
      <Form method="post" {...getFormProps(form)} noValidate>
        <SelectField
          {...bindField(fields.module)}
          label="Module"
          options={[{ value: "", label: "Choose a module" }, ...modules.map((m) => ({ value: m.slug, label: m.title }))]}
        />
        <ChoiceGroup
          {...bindField(fields.target, "organisation")}
          type="radio"
          legend="Who is it for?"
          options={[
            { value: "organisation", label: "Everyone in the organisation", hint: "Including people who join later" },
            { value: "team", label: "A team", hint: "Including people who join the team later" },
            { value: "people", label: "Named people" },
          ]}
        />
        <SelectField
          {...bindField(fields.teamId)}
          label="Team (if for a team)"
          options={[{ value: "", label: "Choose a team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))]}
        />
        <TextAreaField
          {...bindField(fields.people)}
          label="People (if for named people)"
          hint="Their email addresses or staff numbers, one per line"
          rows={5}
        />
        <ChoiceGroup
          {...bindField(fields.dueType, "days")}
          type="radio"
          legend="When is it due?"
          options={[
            { value: "days", label: "Within a number of days of being assigned", hint: "For people who join later, counted from when they join" },
            { value: "date", label: "By a date" },
            { value: "none", label: "No due date" },
          ]}
        />
        <TextField {...bindField(fields.dueDays, "30")}   type="number" inputMode="numeric" label="Number of days" className="input--narrow"   />
        <TextField {...bindField(fields.dueDate)}   type="date" label="Due date" hint="For example, 31/03/2027" className="input--narrow"   />
        <p>Everyone assigned who has joined is emailed now. People still invited are emailed their assignments when they accept their invitation.</p>
        <Button>Assign module</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

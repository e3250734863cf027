import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { createOrganisationWithLead, OrganisationInputError } from "#app/models/organisations/organisation.server.ts";
import { PersonInputError } from "#app/models/organisations/people.server.ts";
import { OrganisationSchema } from "#app/utils/org-validation.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "admin");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePlatformRole(request, "admin");
  const submission = parseWithZod(await request.formData(), { schema: OrganisationSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    const org = await createOrganisationWithLead(admin, submission.value);
    return redirect(`/org/${org.slug}?created=1`);
  } catch (error) {
    if (error instanceof OrganisationInputError) {
      return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.message] } }) }, { status: 400 });
    }
    if (error instanceof PersonInputError) {
      return data({ result: submission.reply({ fieldErrors: { leadEmail: [error.message] } }) }, { status: 400 });
    }
    throw error;
  }
}

export const meta: MetaFunction = () => [{ title: "Add an organisation – Administration – Distinct" }];

export default function NewOrganisationPage() {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "new-organisation",
    lastResult: actionData?.result,
    constraint: getZodConstraint(OrganisationSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OrganisationSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.name, fields.slug, fields.domains, fields.leadName, fields.leadEmail])} />
      <h1>Add an organisation</h1>
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField label="Name" hint="For example, Cambridgeshire Constabulary" errors={fields.name.errors} {...getInputProps(fields.name, { type: "text", ariaAttributes: false })} id={fields.name.id} />
        <TextField
          label="Short address"
          hint="Used in the training lead's web address, like /org/cambridgeshire-police. Lower-case letters, numbers and hyphens."
          errors={fields.slug.errors}
          spellCheck={false}
          {...getInputProps(fields.slug, { type: "text", ariaAttributes: false })}
          id={fields.slug.id}
        />
        <TextAreaField
          label="Email domains (optional)"
          hint="People who confirm an address on these domains join automatically as learners. Separate them with commas or new lines, like cambs.police.uk"
          errors={fields.domains.errors}
          rows={3}
          {...getTextareaProps(fields.domains, { ariaAttributes: false })}
          id={fields.domains.id}
        />
        <h2>First training lead</h2>
        <p>They get an email invitation to accept. They can then invite everyone else.</p>
        <TextField label="Full name" errors={fields.leadName.errors} {...getInputProps(fields.leadName, { type: "text", ariaAttributes: false })} id={fields.leadName.id} />
        <TextField label="Email address" errors={fields.leadEmail.errors} spellCheck={false} {...getInputProps(fields.leadEmail, { type: "email", ariaAttributes: false })} id={fields.leadEmail.id} />
        <Button>Add organisation</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

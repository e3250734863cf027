import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { retentionOverview, setRetentionMonths } from "#app/models/platform/retention.server.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { RETENTION_DEFAULT_MONTHS, RETENTION_MAX_MONTHS, RETENTION_MIN_MONTHS, RetentionSchema } from "#app/utils/privacy-validation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  return { organisation: { name: organisation.name, slug: organisation.slug }, ...(await retentionOverview(organisation.id)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const submission = parseWithZod(await request.formData(), { schema: RetentionSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  await setRetentionMonths(user, organisation.id, submission.value.retentionMonths);
  return redirect(`/org/${organisation.slug}/retention?saved=1`);
}

export const meta: MetaFunction = () => [{ title: "Data retention – Distinct" }];

export default function RetentionPage() {
  const { months, named, anonymised, earliestLeftAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "retention",
    defaultValue: { retentionMonths: String(months) },
    lastResult: actionData?.result,
    constraint: getZodConstraint(RetentionSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RetentionSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.retentionMonths])} />
      {searchParams.get("saved") && !actionData ? (
        <div className="notification notification--success" role="status">
          <p className="notification__title">Saved: details of people who left are kept for {plural(months, "month")}.</p>
        </div>
      ) : null}
      <h1>Data retention</h1>
      <p>
        When someone leaves your organisation, their name, email address and staff number stay in your reports for a
        while, so you can answer questions about their training. After the period below, Distinct anonymises them:
        the training they did still counts in your figures, by team and module, but no longer says who it was.
      </p>
      <p>
        Details of people who left are kept for <strong>{plural(months, "month")}</strong>.{" "}
        {named === 0
          ? "No one who left is still named."
          : `${plural(named, "person", "people")} who left ${named === 1 ? "is" : "are"} still named${earliestLeftAt ? `; the first left on ${formatDate(earliestLeftAt)}` : ""}.`}{" "}
        {anonymised > 0 ? `${plural(anonymised, "person", "people")} who left ${anonymised === 1 ? "has" : "have"} been anonymised.` : null}
      </p>
      <p>
        Someone who deletes their own account is anonymised straight away, whatever this setting.
      </p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField
          label="Months to keep the details of people who left"
          hint={`Between ${RETENTION_MIN_MONTHS} and ${RETENTION_MAX_MONTHS} months. The default is ${RETENTION_DEFAULT_MONTHS}. Anonymising cannot be undone.`}
          errors={fields.retentionMonths.errors}
          inputMode="numeric"
          className="input--narrow"
          {...getInputProps(fields.retentionMonths, { type: "text", ariaAttributes: false })}
          id={fields.retentionMonths.id}
        />
        <Button>Save</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

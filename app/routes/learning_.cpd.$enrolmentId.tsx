import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextAreaField } from "#app/components/ui/field.tsx";
import { cpdEntry, saveReflection } from "#app/models/learning/cpd.server.ts";
import { REFLECTION_MAX, ReflectionSchema } from "#app/utils/cpd-validation.ts";
import { formatDate } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireUser } from "#app/services/session.server.ts";

const NOT_YOURS = "No completed module of yours has this address.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const entry = await cpdEntry(user.id, params.enrolmentId ?? "");
  invariantResponse(entry, NOT_YOURS);
  return { title: entry.title, version: entry.version, completedAt: entry.completedAt, reflection: entry.reflection };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const enrolmentId = params.enrolmentId ?? "";
  const submission = parseWithZod(await request.formData(), { schema: ReflectionSchema });
  if (submission.status !== "success") {
    // Someone else's id gets the same 404 as the page, not a form error.
    invariantResponse(await cpdEntry(user.id, enrolmentId), NOT_YOURS);
    return data({ result: submission.reply() }, { status: 400 });
  }
  invariantResponse(await saveReflection(user.id, enrolmentId, submission.value), NOT_YOURS);
  return redirect(`/learning/cpd?saved=${enrolmentId}#entry-${enrolmentId}`);
}

export const meta: MetaFunction = () => [{ title: "Your reflection – CPD record – Distinct" }];

export default function ReflectionPage() {
  const { title, version, completedAt, reflection } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reflection",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ReflectionSchema),
    defaultValue: { learned: reflection?.learned ?? "", apply: reflection?.apply ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReflectionSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.learned, fields.apply])} />
      <span className="caption">
        {title}, version {version}: completed {formatDate(completedAt)}
      </span>
      <h1>Your reflection</h1>
      <p>Only you can read this. It is part of your CPD record and its downloads.</p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextAreaField
          label="What I learned"
          hint={`What was new to you, or what changed how you see it. Up to ${REFLECTION_MAX.toLocaleString("en-GB")} characters.`}
          errors={fields.learned.errors}
          rows={6}
          {...getTextareaProps(fields.learned, { ariaAttributes: false })}
          id={fields.learned.id}
        />
        <TextAreaField
          label="How I will apply it"
          hint="A case, a call or a conversation where you will use it."
          errors={fields.apply.errors}
          rows={6}
          {...getTextareaProps(fields.apply, { ariaAttributes: false })}
          id={fields.apply.id}
        />
        <Button>Save reflection</Button>
      </Form>
      <p>
        <Link to="/learning/cpd">Back to your CPD record</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

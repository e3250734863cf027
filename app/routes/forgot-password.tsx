import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { requestPasswordReset } from "#app/services/account.server.ts";
import { isHoneypotFilled } from "#app/utils/honeypot.ts";
import { requireAnonymous } from "#app/services/session.server.ts";
import { ForgotPasswordSchema } from "#app/utils/user-validation.ts";
import { EmailAddressField, HoneypotField } from "#app/components/account-fields.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: ForgotPasswordSchema });
  if (isHoneypotFilled(formData)) {
    return data({ result: submission.reply({ formErrors: ["The form could not be sent. Try again."] }), sentTo: null }, { status: 400 });
  }
  if (submission.status !== "success") return data({ result: submission.reply(), sentTo: null }, { status: 400 });
  const outcome = await requestPasswordReset(submission.value.email);
  if (!outcome.ok) {
    return data({ result: submission.reply({ formErrors: outcome.formError ? [outcome.formError] : [] }), sentTo: null }, { status: outcome.status });
  }
  return data({ result: submission.reply({ resetForm: true }), sentTo: submission.value.email });
}

export const meta: MetaFunction = () => [{ title: "Reset your password – Distinct" }];

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "forgot-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotPasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
    shouldValidate: "onSubmit",
  });
  if (actionData?.sentTo) {
    return (
      <div className="two-thirds">
        <h1>Check your email</h1>
        <p>
          If {actionData.sentTo} has a Distinct account, we have sent it a link to choose a new password. The link works
          for one hour.
        </p>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.email])} />
      <h1>Reset your password</h1>
      <p>Enter the email address you use for Distinct. We will send you a link to choose a new password.</p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <HoneypotField id="forgot-website" />
        <EmailAddressField field={fields.email} />
        <Button>Send me a link</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

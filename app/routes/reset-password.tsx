import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { resetPassword } from "#app/services/account.server.ts";
import { ResetPasswordSchema } from "#app/utils/user-validation.ts";
import { NewPasswordFields } from "#app/components/account-fields.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetPasswordSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password", "confirmPassword"] }) }, { status: 400 });
  }
  const outcome = await resetPassword(submission.value.token, submission.value.password);
  if (!outcome.ok) {
    return data(
      { result: submission.reply({ formErrors: outcome.formError ? [outcome.formError] : [], fieldErrors: outcome.fieldErrors, hideFields: ["password", "confirmPassword"] }) },
      { status: outcome.status },
    );
  }
  return redirect("/login?notice=reset");
}

export const meta: MetaFunction = () => [{ title: "Choose a new password – Distinct" }];

export default function ResetPasswordPage() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reset-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResetPasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  if (!token) {
    return (
      <div className="two-thirds">
        <h1>This link is incomplete</h1>
        <p>
          Open the link from your email again, or <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.password, fields.confirmPassword])} />
      <h1>Choose a new password</h1>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="token" value={token} />
        <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} labels={["New password", "Confirm new password"]} />
        <Button>Change password</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

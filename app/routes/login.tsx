import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { signIn } from "#app/services/account.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";
import { requireAnonymous } from "#app/services/session.server.ts";
import { LoginSchema } from "#app/utils/user-validation.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const url = new URL(request.url);
  return { redirectTo: safeRedirect(url.searchParams.get("redirectTo"), "/learning"), notice: url.searchParams.get("notice") };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const outcome = await signIn(request, submission.value);
  if (!outcome.ok) {
    return data(
      { result: submission.reply({ formErrors: outcome.formError ? [outcome.formError] : [], fieldErrors: outcome.fieldErrors, hideFields: ["password"] }) },
      { status: outcome.status },
    );
  }
  return redirect(safeRedirect(submission.value.redirectTo, "/learning"), { headers: cookieHeaders(outcome.headers) });
}

export const meta: MetaFunction = () => [{ title: "Sign in – Distinct" }];

const notices: Record<string, string> = {
  verified: "Your email address is confirmed. Sign in to start learning.",
  reset: "Your password has been changed. Sign in with your new password.",
  "signed-out": "You have signed out.",
};

export default function LoginPage() {
  const { redirectTo, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    constraint: getZodConstraint(LoginSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const noticeText = notice ? notices[notice] : undefined;
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.email, fields.password])} />
      {noticeText ? (
        <div className="notification notification--success" role="status">
          <p className="notification__title">{noticeText}</p>
        </div>
      ) : null}
      <h1>Sign in</h1>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          label="Email address"
          errors={fields.email.errors}
          autoComplete="email"
          spellCheck={false}
          {...getInputProps(fields.email, { type: "email", ariaAttributes: false })}
          id={fields.email.id}
        />
        <TextField
          label="Password"
          errors={fields.password.errors}
          autoComplete="current-password"
          {...getInputProps(fields.password, { type: "password", ariaAttributes: false })}
          id={fields.password.id}
        />
        <Button disabled={navigation.state === "submitting"}>Sign in</Button>
      </Form>
      <p>
        <Link to="/forgot-password">I have forgotten my password</Link>
      </p>
      <h2>New to Distinct?</h2>
      <p>
        <Link to={`/signup${redirectTo !== "/learning" ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>Create an account</Link> with
        your work email address. If your organisation has invited you, use the link in your invitation.
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

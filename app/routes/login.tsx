import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { signIn } from "#app/services/account.server.ts";
import { requestMagicLink, signInRouteFor, startSso } from "#app/services/sign-in.server.ts";
import { loadSsoFormActions } from "#app/services/sso-origins.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";
import { requireAnonymous } from "#app/services/session.server.ts";
import { LoginEmailSchema, LoginSchema } from "#app/utils/user-validation.ts";
import { EmailAddressField, PasswordField } from "#app/components/account-fields.tsx";

/**
 * Sign-in asks for the email address first (issue 19): an address on a domain
 * whose organisation has single sign-on goes to its provider; the rest get the
 * password, or a mailed one-time link. Each step is a plain form, so it all
 * works without JavaScript. A POST with email and password (no intent) signs
 * in directly, as before.
 */
type Step = "email" | "password" | "sso" | "link-sent";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  // The page's CSP must admit the redirect to a provider (form-action).
  await loadSsoFormActions();
  const url = new URL(request.url);
  return {
    redirectTo: safeRedirect(url.searchParams.get("redirectTo"), "/learning"),
    notice: url.searchParams.get("notice"),
    ssoError: ssoErrorText(url.searchParams.get("error")),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await request.formData();
  const intent = formData.get("intent") ?? "password";
  if (intent === "password") return passwordStep(request, formData);
  const submission = parseWithZod(formData, { schema: LoginEmailSchema });
  if (submission.status !== "success") return data({ step: "email" as Step, email: "", result: submission.reply() }, { status: 400 });
  const { email } = submission.value;
  const redirectTo = safeRedirect(submission.value.redirectTo, "/learning");
  const route = intent === "email" ? await signInRouteFor(email) : null;
  if (intent === "sso" || (route?.kind === "sso" && route.route.required)) {
    const started = await startSso(request, email, redirectTo);
    if (!started.ok) return data({ step: "email" as Step, email, result: submission.reply({ formErrors: started.formError ? [started.formError] : [], fieldErrors: started.fieldErrors }) }, { status: started.status });
    return redirect(started.url, { headers: cookieHeaders(started.headers) });
  }
  if (intent === "magic-link") {
    const sent = await requestMagicLink(request, email);
    if (!sent.ok) return data({ step: "password" as Step, email, result: submission.reply({ formErrors: sent.formError ? [sent.formError] : [], fieldErrors: sent.fieldErrors }) }, { status: sent.status });
    return { step: "link-sent" as Step, email, result: undefined };
  }
  if (intent !== "email") return data({ step: "email" as Step, email, result: submission.reply({ formErrors: ["The form's “intent” is not a step of signing in: enter your email address and choose Continue"] }) }, { status: 400 });
  return { step: (route?.kind === "sso" ? "sso" : "password") as Step, email, result: undefined };
}

async function passwordStep(request: Request, formData: FormData) {
  const submission = parseWithZod(formData, { schema: LoginSchema });
  const email = typeof submission.payload.email === "string" ? submission.payload.email : "";
  if (submission.status !== "success") return data({ step: "password" as Step, email, result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const outcome = await signIn(request, submission.value);
  if (!outcome.ok) {
    return data(
      { step: "password" as Step, email, result: submission.reply({ formErrors: outcome.formError ? [outcome.formError] : [], fieldErrors: outcome.fieldErrors, hideFields: ["password"] }) },
      { status: outcome.status },
    );
  }
  return redirect(safeRedirect(submission.value.redirectTo, "/learning"), { headers: cookieHeaders(outcome.headers) });
}

/** What went wrong at the organisation's provider, in plain words (the callback adds ?error=). */
function ssoErrorText(code: string | null): string | undefined {
  if (!code) return undefined;
  if (code === "account not linked") {
    return "An account with your email address already exists, and your force's sign-in service did not confirm the address (or the account's address is not confirmed yet). Sign in with your password, or ask your training lead.";
  }
  if (code === "EMAIL_NOT_ON_PROVIDER_DOMAIN") return "Your force's sign-in service gave an email address that is not on your organisation's domains. Ask your training lead to check the single sign-on settings.";
  if (code === "access_denied") return "Signing in with your force account was cancelled.";
  // SAML (ADR 037): the answer was refused before anyone was signed in.
  if (code === "replay_detected") return "That answer from your force's sign-in service has already been used. Start again: enter your email address and choose Continue.";
  if (code === "invalid_saml_response" || code === "saml_error") {
    return "Your force's sign-in service sent an answer Distinct could not trust (not signed with your organisation's certificate, altered, out of date, or meant for another service). Try again; if it happens again, ask your training lead to check the single sign-on settings.";
  }
  return "Signing in with your force account did not work. Try again, or ask your training lead to check the single sign-on settings.";
}

export const meta: MetaFunction = () => [{ title: "Sign in – Distinct" }];

const notices: Record<string, string> = {
  verified: "Your email address is confirmed. Sign in to start learning.",
  reset: "Your password has been changed. Sign in with your new password.",
  "signed-out": "You have signed out.",
};

export default function LoginPage() {
  const { redirectTo, notice, ssoError } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const step: Step = actionData?.step ?? "email";
  const noticeText = notice ? notices[notice] : undefined;
  return (
    <div className="two-thirds">
      {ssoError && !actionData ? <ErrorSummary errors={[{ href: "#main", message: ssoError }]} /> : null}
      {noticeText && !actionData ? (
        <div className="notification notification--success" role="status">
          <p className="notification__title">{noticeText}</p>
        </div>
      ) : null}
      {step === "email" ? <EmailStep key="email" redirectTo={redirectTo} /> : null}
      {step === "password" ? <PasswordStep key="password" redirectTo={redirectTo} email={actionData?.email ?? ""} /> : null}
      {step === "sso" ? <SsoStep redirectTo={redirectTo} email={actionData?.email ?? ""} /> : null}
      {step === "link-sent" ? <LinkSent email={actionData?.email ?? ""} /> : null}
      <h2>New to Distinct?</h2>
      <p>
        <Link to={`/signup${redirectTo !== "/learning" ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>Create an account</Link> with
        your work email address. If your organisation has invited you, use the link in your invitation.
      </p>
    </div>
  );
}

function EmailStep({ redirectTo }: { redirectTo: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "login-email",
    lastResult: actionData?.step === "email" ? actionData.result : undefined,
    constraint: getZodConstraint(LoginEmailSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginEmailSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <ErrorSummary errors={summaryErrors(form.errors, [fields.email])} />
      <h1>Sign in</h1>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          label="Email address"
          hint="Your work email address. If your organisation signs you in with its own account, we will send you there."
          errors={fields.email.errors}
          autoComplete="email"
          spellCheck={false}
          {...getInputProps(fields.email, { type: "email", ariaAttributes: false })}
          id={fields.email.id}
        />
        <Button name="intent" value="email" disabled={navigation.state === "submitting"}>
          Continue
        </Button>
      </Form>
    </>
  );
}

/** The address chosen in the first step, shown with a way back to change it. */
function ChosenEmail({ email }: { email: string }) {
  return (
    <p>
      Signing in as <strong>{email}</strong>. <Link to="/login">Use a different email address</Link>
    </p>
  );
}

function PasswordStep({ redirectTo, email, heading = true }: { redirectTo: string; email: string; heading?: boolean }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.step === "password" ? actionData.result : undefined,
    defaultValue: { email },
    constraint: getZodConstraint(LoginSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <ErrorSummary errors={summaryErrors(form.errors, [fields.email, fields.password])} />
      {heading ? <h1>Sign in</h1> : null}
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <EmailAddressField field={fields.email} />
        <PasswordField field={fields.password} label="Password" purpose="current" />
        <Button name="intent" value="password" disabled={navigation.state === "submitting"}>
          Sign in
        </Button>
      </Form>
      <p>
        <Link to="/forgot-password">I have forgotten my password</Link>
      </p>
      <h2>No password?</h2>
      <Form method="post">
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <p>We can email you a link that signs you in once, within 15 minutes.</p>
        <Button variant="secondary" name="intent" value="magic-link" disabled={navigation.state === "submitting"}>
          Email me a sign-in link
        </Button>
      </Form>
    </>
  );
}

function SsoStep({ redirectTo, email }: { redirectTo: string; email: string }) {
  const navigation = useNavigation();
  return (
    <>
      <h1>Sign in</h1>
      <ChosenEmail email={email} />
      <p>Your organisation signs you in with its own account service.</p>
      <Form method="post">
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Button name="intent" value="sso" disabled={navigation.state === "submitting"}>
          Sign in with your force account
        </Button>
      </Form>
      <h2>Or use your Distinct password</h2>
      <PasswordStep redirectTo={redirectTo} email={email} heading={false} />
    </>
  );
}

function LinkSent({ email }: { email: string }) {
  return (
    <>
      <h1>Check your email</h1>
      <div className="notification notification--success" role="status">
        <p className="notification__title">If {email} has a Distinct account, we have sent it a sign-in link.</p>
      </div>
      <p>The link works once, for 15 minutes. It may take a few minutes to arrive; check your junk folder too.</p>
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

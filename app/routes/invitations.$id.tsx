import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { createInvitedAccount } from "#app/models/account.server.ts";
import { acceptInvitation, getInvitation, InvitationError } from "#app/models/people.server.ts";
import { cookieHeaders } from "#app/utils/headers.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { InvitationSignupSchema } from "#app/utils/org-validation.ts";
import { getUser } from "#app/utils/session.server.ts";
import { getAuth } from "#app/utils/auth.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await getInvitation(params.id ?? "");
  invariantResponse(invitation, "This invitation link is not valid. Check you copied the whole link from the email.");
  const user = await getUser(request);
  const context = await getAuth().$context;
  const hasAccount = !user && invitation.state === "pending" ? !!(await context.internalAdapter.findUserByEmail(invitation.email)) : false;
  return { invitation, signedInAs: user ? { email: user.email } : null, hasAccount };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const invitation = await getInvitation(params.id ?? "");
  invariantResponse(invitation, "This invitation link is not valid.");
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "accept") {
    const user = await getUser(request);
    if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(`/invitations/${invitation.id}`)}`);
    try {
      const joined = await acceptInvitation(invitation.id, user);
      return redirect(joined.role === "admin" ? `/org/${joined.organisationSlug}` : "/learning");
    } catch (error) {
      if (error instanceof InvitationError) return data({ result: null, formError: error.message }, { status: 400 });
      throw error;
    }
  }
  const submission = parseWithZod(formData, { schema: InvitationSignupSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password", "confirmPassword"] }), formError: null }, { status: 400 });
  }
  if (invitation.state !== "pending") return data({ result: null, formError: "This invitation can no longer be used." }, { status: 400 });
  const outcome = await createInvitedAccount(request, { email: invitation.email, name: submission.value.name, password: submission.value.password });
  if (outcome === null) return data({ result: null, formError: "You already have an account: sign in to accept." }, { status: 400 });
  if (!outcome.ok) return data({ result: submission.reply({ formErrors: outcome.formError ? [outcome.formError] : [] }), formError: null }, { status: outcome.status });
  const account = await getInvitationAccount(invitation.email);
  const joined = await acceptInvitation(invitation.id, account);
  return redirect(joined.role === "admin" ? `/org/${joined.organisationSlug}` : "/learning", { headers: cookieHeaders(outcome.headers) });
}

async function getInvitationAccount(email: string) {
  const context = await getAuth().$context;
  const found = await context.internalAdapter.findUserByEmail(email);
  if (!found) throw new Error("The account was not created");
  return { id: found.user.id, email: found.user.email, name: found.user.name };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Join ${data.invitation.organisation} – Distinct` : "Invitation – Distinct" },
];

export default function InvitationPage() {
  const { invitation, signedInAs, hasAccount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "invitation-signup",
    lastResult: actionData?.result ?? undefined,
    constraint: getZodConstraint(InvitationSignupSchema),
    defaultValue: { name: invitation.name },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InvitationSignupSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const roleWord = invitation.role === "admin" ? "training lead" : "learner";
  if (invitation.state !== "pending") {
    return (
      <div className="two-thirds">
        <h1>{invitation.state === "expired" ? "This invitation has expired" : "This invitation has already been used"}</h1>
        <p>
          {invitation.state === "expired"
            ? `Ask your training lead at ${invitation.organisation} to send you a new invitation.`
            : "If you accepted it, sign in to see your training."}
        </p>
        <p>
          <Link to="/login">Sign in</Link>
        </p>
      </div>
    );
  }
  const errors = [...(actionData?.formError ? [{ href: "#main", message: actionData.formError }] : []), ...summaryErrors(form.errors, [fields.name, fields.password, fields.confirmPassword])];
  return (
    <div className="two-thirds">
      <ErrorSummary errors={errors} />
      <span className="caption">Invitation for {invitation.email}</span>
      <h1>Join {invitation.organisation}</h1>
      <p>
        {invitation.organisation} has invited you to Distinct as a {roleWord}.
      </p>
      {signedInAs ? (
        signedInAs.email.toLowerCase() === invitation.email.toLowerCase() ? (
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <Button>Accept and join {invitation.organisation}</Button>
          </Form>
        ) : (
          <p>
            You are signed in as {signedInAs.email}, but this invitation is for {invitation.email}. Sign out, then open
            the link again.
          </p>
        )
      ) : hasAccount ? (
        <p>
          You already have an account. <Link to={`/login?redirectTo=${encodeURIComponent(`/invitations/${invitation.id}`)}`}>Sign in to accept</Link>.
        </p>
      ) : (
        <>
          <h2>Create your account</h2>
          <Form method="post" {...getFormProps(form)} noValidate>
            <input type="hidden" name="intent" value="create-account" />
            <TextField label="Full name" hint="As it should appear on your certificates" errors={fields.name.errors} autoComplete="name" {...getInputProps(fields.name, { type: "text", ariaAttributes: false })} id={fields.name.id} />
            <TextField
              label="Create a password"
              hint="At least 10 characters. Three random words make a strong, memorable password."
              errors={fields.password.errors}
              autoComplete="new-password"
              {...getInputProps(fields.password, { type: "password", ariaAttributes: false })}
              id={fields.password.id}
            />
            <TextField label="Confirm password" errors={fields.confirmPassword.errors} autoComplete="new-password" {...getInputProps(fields.confirmPassword, { type: "password", ariaAttributes: false })} id={fields.confirmPassword.id} />
            <Button>Create account and join</Button>
          </Form>
          <p>
            Already have an account? <Link to={`/login?redirectTo=${encodeURIComponent(`/invitations/${invitation.id}`)}`}>Sign in</Link>
          </p>
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { accountExistsFor, createInvitedAccount } from "#app/services/account.server.ts";
import { acceptInvitation, getInvitation, InvitationError } from "#app/models/organisations/invitation.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { InvitationSignupSchema } from "#app/utils/org-validation.ts";
import { getUser } from "#app/services/session.server.ts";
import { FullNameField, NewPasswordFields } from "#app/components/account-fields.tsx";

// Links mailed before invitations had their own token carried the invitation's id (a UUID).
const LEGACY_LINK = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function loadInvitation(token: string) {
  const invitation = await getInvitation(token);
  invariantResponse(
    invitation,
    LEGACY_LINK.test(token)
      ? "This invitation link has been replaced. Ask your training lead to resend your invitation."
      : "This invitation link is not valid. Check you copied the whole link from the email.",
  );
  return invitation;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const invitation = await loadInvitation(token);
  const user = await getUser(request);
  const hasAccount = !user && invitation.state === "pending" ? await accountExistsFor(invitation.email) : false;
  return { invitation, token, signedInAs: user ? { email: user.email } : null, hasAccount };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const invitation = await loadInvitation(token);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "accept") {
    const user = await getUser(request);
    if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`);
    try {
      const joined = await acceptInvitation(token, user);
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
  const outcome = await createInvitedAccount(request, token, { name: submission.value.name, password: submission.value.password });
  if (outcome === null) return data({ result: null, formError: "You already have an account: sign in to accept." }, { status: 400 });
  if (!outcome.ok) {
    return data(
      { result: submission.reply({ formErrors: outcome.formError ? [outcome.formError] : [], fieldErrors: outcome.fieldErrors, hideFields: ["password", "confirmPassword"] }), formError: null },
      { status: outcome.status },
    );
  }
  return redirect(outcome.role === "admin" ? `/org/${outcome.organisationSlug}` : "/learning", { headers: cookieHeaders(outcome.headers) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Join ${data.invitation.organisation} – Distinct` : "Invitation – Distinct" },
];

export default function InvitationPage() {
  const { invitation, token, signedInAs, hasAccount } = useLoaderData<typeof loader>();
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
          You already have an account. <Link to={`/login?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`}>Sign in to accept</Link>.
        </p>
      ) : (
        <>
          <h2>Create your account</h2>
          <Form method="post" {...getFormProps(form)} noValidate>
            <input type="hidden" name="intent" value="create-account" />
            <FullNameField field={fields.name} forCertificates />
            <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} />
            <Button>Create account and join</Button>
          </Form>
          <p>
            Already have an account? <Link to={`/login?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`}>Sign in</Link>
          </p>
        </>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { signInWithMagicLink } from "#app/services/sign-in.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";
import { VerifyEmailSchema } from "#app/utils/user-validation.ts";

// A mailed one-time sign-in link. GET only shows the button: mail scanners
// follow links, and a GET must not use up the link or change state.
export async function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = VerifyEmailSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "This sign-in link is incomplete. Copy the whole link from the email." }, { status: 400 });
  const outcome = await signInWithMagicLink(request, parsed.data.token);
  if (!outcome.ok) return data({ error: outcome.formError ?? "This link cannot be used." }, { status: outcome.status });
  return redirect("/learning", { headers: cookieHeaders(outcome.headers) });
}

export const meta: MetaFunction = () => [{ title: "Sign in with an emailed link – Distinct" }];

export default function MagicLinkPage() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="two-thirds">
      {actionData?.error ? <ErrorSummary errors={[{ href: "#main", message: actionData.error }]} /> : null}
      <h1>Sign in to Distinct</h1>
      {token && !actionData?.error ? (
        <>
          <p>Press the button to sign in. The link works once.</p>
          <Form method="post" noValidate>
            <input type="hidden" name="token" value={token} />
            <Button>Sign in</Button>
          </Form>
        </>
      ) : (
        <p>
          <Link to="/login">Go to sign in</Link> to ask for a new link, or use your password.
        </p>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

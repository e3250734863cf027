import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { verifyEmail } from "#app/services/account.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";
import { VerifyEmailSchema } from "#app/utils/user-validation.ts";

// GET only shows the button: mail scanners follow links, and a GET must not change state.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = VerifyEmailSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return data({ error: "This confirmation link is incomplete. Copy the whole link from the email." }, { status: 400 });
  }
  const outcome = await verifyEmail(request, parsed.data.token);
  if (!outcome.ok) return data({ error: outcome.formError ?? "This link cannot be used." }, { status: outcome.status });
  // Confirming signs them in: straight to their learning, no second sign-in.
  if (outcome.signedIn) return redirect("/learning", { headers: cookieHeaders(outcome.headers) });
  return redirect("/login?notice=verified");
}

export const meta: MetaFunction = () => [{ title: "Confirm your email address – Distinct" }];

export default function VerifyEmailPage() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="two-thirds">
      {actionData?.error ? <ErrorSummary errors={[{ href: "#main", message: actionData.error }]} /> : null}
      <h1>Confirm your email address</h1>
      {token ? (
        <>
          <p>Press the button to confirm this is your email address and finish creating your account.</p>
          <Form method="post" noValidate>
            <input type="hidden" name="token" value={token} />
            <Button>Confirm my email address</Button>
          </Form>
        </>
      ) : (
        <p>
          This link is incomplete. Open the link from your email again, or <Link to="/login">sign in</Link> to be sent a
          new one.
        </p>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";

// The form is a GET to this page; a code in the address goes to its own page.
export async function loader({ request }: LoaderFunctionArgs) {
  const code = new URL(request.url).searchParams.get("code");
  if (code !== null) {
    const cleaned = code.trim().slice(0, 60);
    throw redirect(cleaned ? `/verify/${encodeURIComponent(cleaned)}` : "/verify/%20");
  }
  return null;
}

export const meta: MetaFunction = () => [{ title: "Check a certificate – Distinct" }];

export default function VerifyPage() {
  return (
    <div className="two-thirds">
      <h1>Check a certificate</h1>
      <p className="lead">
        Enter the code printed on a Distinct certificate to see whether it is valid. You do not need an account.
      </p>
      <Form method="get" noValidate>
        <TextField
          id="code"
          name="code"
          label="Certificate code"
          hint="11 letters and numbers, for example 7KQ4-MX2P-9RT. Capitals, spaces and dashes do not matter."
          autoComplete="off"
          spellCheck={false}
          className="input--narrow certificate-code"
        />
        <Button>Check certificate</Button>
      </Form>
      <p>You can also scan the QR code on the certificate with a phone camera.</p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

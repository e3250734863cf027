import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ButtonLink } from "#app/components/ui/button.tsx";
import { requireUser } from "#app/services/session.server.ts";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, email: user.email };
}

export const meta: MetaFunction = () => [{ title: "Your account and data – Distinct" }];

export default function AccountPage() {
  const { name, email } = useLoaderData<typeof loader>();
  return (
    <div className="two-thirds">
      <h1>Your account and data</h1>
      <dl className="summary-list">
        <SummaryRow label="Name">{name}</SummaryRow>
        <SummaryRow label="Email address">{email}</SummaryRow>
      </dl>

      <h2>Download your data</h2>
      <p>You can download everything Distinct holds about you, at any time.</p>
      <ul>
        <li>
          {/* Plain links: these are files, not pages, so the browser downloads them whether or not JavaScript runs. */}
          <a href="/account/training-record.pdf" download>
            Your training record (PDF)
          </a>
          : your certificates, assigned
          training with due dates, modules and assessment results, to read or print.
        </li>
        <li>
          <a href="/account/my-data.json" download>
            All your data (JSON)
          </a>
          : your account, organisations, every lesson you completed, every assessment with the answers you gave,
          certificates, assignments and the audit log entries about you, in a form other software can read.
        </li>
      </ul>
      <p>
        Certificates one by one are on <Link to="/certificates">your certificates</Link> page.
      </p>

      <h2>Delete your account</h2>
      <p>
        Deleting your account erases your name and email address from Distinct and signs you out everywhere. Your
        certificates can no longer be verified. Organisations you trained with keep anonymous figures.
      </p>
      <ButtonLink to="/account/delete" variant="warning">
        Delete your account
      </ButtonLink>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

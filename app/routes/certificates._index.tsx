import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CertificateStatusTag } from "#app/components/certificate-status-tag.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { listLearnerCertificates } from "#app/models/learning/certificate.server.ts";
import { NotFoundError, startModule } from "#app/models/learning/enrolment.server.ts";
import { formatDate, formatMinutes } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { RecertifySchema } from "#app/utils/learning-validation.ts";
import { requireUser } from "#app/services/session.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { certificates: await listLearnerCertificates(user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = RecertifySchema.safeParse(Object.fromEntries(await request.formData()));
  invariantResponse(parsed.success, "Unknown action: use the Renew button.", { status: 400 });
  try {
    await startModule({ userId: user.id, slug: parsed.data.slug });
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response("This module is no longer offered.", { status: 404 });
    throw error;
  }
  return redirect(`/modules/${parsed.data.slug}`);
}

export const meta: MetaFunction = () => [{ title: "My certificates – Distinct" }];

export default function CertificatesPage() {
  const { certificates } = useLoaderData<typeof loader>();
  const current = certificates.filter((c) => !c.superseded);
  const history = certificates.filter((c) => c.superseded);
  return (
    <>
      <h1>My certificates</h1>
      <p className="two-thirds">
        Anyone can check a certificate at <Link to="/verify">Check a certificate</Link> with its code, or by scanning the
        QR code on the PDF. Add them to your development review.
      </p>
      {current.length === 0 ? (
        <p>
          You have no certificates yet. Complete a module to get one: <Link to="/modules">see the modules</Link>.
        </p>
      ) : (
        <ul className="card-list">
          {current.map((c) => (
            <li key={c.id} className="card">
              <h2>
                <Link to={`/certificates/${c.formattedCode}`}>{c.moduleTitle}</Link>
              </h2>
              <p className="card__meta">
                Version {c.moduleVersion} · issued {formatDate(c.issuedAt)} ·{" "}
                {c.expiresAt ? `valid until ${formatDate(c.expiresAt)}` : "does not expire"} · CPD {formatMinutes(c.cpdMinutes)}
              </p>
              <p>
                <CertificateStatusTag status={c.status} /> Code <strong className="certificate-code">{c.formattedCode}</strong>
              </p>
              <div className="button-group">
                <a className="button button--secondary" href={`/certificates/${c.formattedCode}.pdf`} download>
                  Download PDF<span className="visually-hidden"> for {c.moduleTitle}</span>
                </a>
                {(c.status === "expired" || c.status === "expiring") && !c.recertifying ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="recertify" />
                    <input type="hidden" name="slug" value={c.slug} />
                    <Button>
                      Renew<span className="visually-hidden"> {c.moduleTitle}</span>: take the module again
                    </Button>
                  </Form>
                ) : null}
                {c.recertifying ? (
                  <Link to={`/modules/${c.slug}`}>
                    Continue renewing<span className="visually-hidden"> {c.moduleTitle}</span>
                  </Link>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {history.length > 0 ? (
        <>
          <h2>Earlier certificates</h2>
          <DataTable caption="Earlier certificates, replaced by a later one" hideCaption columns={["Module", "Version", "Issued", "Status", "Code"]}>
            {history.map((c) => (
              <tr key={c.id}>
                <td>{c.moduleTitle}</td>
                <td>{c.moduleVersion}</td>
                <td>{formatDate(c.issuedAt)}</td>
                <td>
                  <CertificateStatusTag status={c.status} />
                </td>
                <td>
                  <Link to={`/certificates/${c.formattedCode}`}>{c.formattedCode}</Link>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

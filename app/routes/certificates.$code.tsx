import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CertificateStatusTag } from "#app/components/certificate-status-tag.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { getCertificateFor } from "#app/models/learning/certificate.server.ts";
import { qrCodePath } from "#app/models/learning/certificate-pdf/qr.server.ts";
import { formatDate, formatMinutes } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireUser } from "#app/services/session.server.ts";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const certificate = await getCertificateFor(user, params.code ?? "");
  invariantResponse(certificate, "You have no certificate with this code. Check the code, or see all your certificates.");
  const { userId: _owner, ...shown } = certificate;
  return { certificate: shown, qr: qrCodePath(certificate.verifyUrl) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Certificate ${data.certificate.formattedCode}: ${data.certificate.moduleTitle} – Distinct` : "Certificate – Distinct" },
];

export default function CertificatePage() {
  const { certificate: c, qr } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs trail={[{ to: "/certificates", label: "My certificates" }]} current={c.formattedCode} />
      {c.status === "revoked" ? (
        <Notification tone="warning" title={`This certificate was revoked on ${formatDate(c.revokedAt)}`}>
          <p>It is no longer valid. Its verification page says so. Contact your training lead if you think this is wrong.</p>
        </Notification>
      ) : c.status === "expired" ? (
        <Notification tone="warning" title={`This certificate expired on ${formatDate(c.expiresAt)}`}>
          <p>
            Take the module again to renew it: <Link to="/certificates">see your certificates</Link>.
          </p>
        </Notification>
      ) : null}
      <article className="certificate" aria-labelledby="certificate-title">
        <p className="certificate__brand">Distinct</p>
        <h1 id="certificate-title" className="certificate__title">
          Certificate of completion
        </h1>
        <p className="certificate__lead">This is to certify that</p>
        <p className="certificate__name">{c.learnerName}</p>
        {c.organisationName ? <p className="certificate__org">{c.organisationName}</p> : null}
        <p className="certificate__lead">has completed</p>
        <p className="certificate__module">{c.moduleTitle}</p>
        <p className="certificate__version">version {c.moduleVersion}</p>
        <dl className="summary-list certificate__details">
          <SummaryRow label="Status">
            <CertificateStatusTag status={c.status} />
          </SummaryRow>
          <SummaryRow label="Issued">{formatDate(c.issuedAt)}</SummaryRow>
          <SummaryRow label="Valid until">{c.expiresAt ? formatDate(c.expiresAt) : "Does not expire"}</SummaryRow>
          <SummaryRow label="CPD time">{formatMinutes(c.cpdMinutes)}</SummaryRow>
          {c.scorePercent !== null ? (
            <SummaryRow label="Assessment score">{c.scorePercent}%</SummaryRow>
          ) : null}
          <SummaryRow label="Certificate code">
            <strong className="certificate-code">{c.formattedCode}</strong>
          </SummaryRow>
        </dl>
        <div className="certificate__verify">
          <svg className="certificate__qr" viewBox={`-4 -4 ${qr.size + 8} ${qr.size + 8}`} role="img" aria-label={`QR code for ${c.verifyUrl}`}>
            <rect x="-4" y="-4" width={qr.size + 8} height={qr.size + 8} fill="#fff" />
            <path d={qr.path} fill="#0b0c0c" />
          </svg>
          <p>
            Anyone can check this certificate at <a href={c.verifyUrl}>{c.verifyUrl}</a> or by scanning the QR code.
          </p>
        </div>
      </article>
      <div className="button-group no-print">
        <a className="button" href={`/certificates/${c.formattedCode}.pdf`} download>
          Download PDF
        </a>
        <a
          className="button button--secondary"
          href={`mailto:?subject=${encodeURIComponent(`My certificate: ${c.moduleTitle}`)}&body=${encodeURIComponent(`Check my certificate for ${c.moduleTitle} (version ${c.moduleVersion}) at ${c.verifyUrl}`)}`}
        >
          Share by email
        </a>
      </div>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

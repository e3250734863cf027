import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CertificateStatusTag } from "#app/components/certificate-status-tag.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { verifyCertificate } from "#app/models/learning/certificate.server.ts";
import { checkVerifyRateLimit } from "#app/models/platform/verify-rate-limit.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

export async function loader({ params }: LoaderFunctionArgs) {
  const limited = await checkVerifyRateLimit();
  if (limited) {
    throw new Response(`Too many checks from your connection. Wait ${limited} seconds, then try again.`, {
      status: 429,
      headers: { "Retry-After": String(limited) },
    });
  }
  const input = (params.code ?? "").slice(0, 60);
  const result = await verifyCertificate(input);
  // Mistyped and unknown codes are answers, not errors: a page that says so, with status 404.
  // A certificate whose holder deleted their account is gone (410): it existed, and vouches for no one now.
  const status = result.kind === "found" ? 200 : result.kind === "withdrawn" ? 410 : 404;
  return data({ input, result }, { status, headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const result = data?.result;
  const title =
    result?.kind === "withdrawn"
      ? `Certificate ${result.formattedCode}: no longer verifiable`
      : result?.kind === "found"
      ? `Certificate ${result.formattedCode}: ${result.status === "revoked" ? "revoked" : result.status === "expired" ? "expired" : "valid"}`
      : "Certificate not found";
  return [{ title: `${title} – Distinct` }, { name: "robots", content: "noindex" }];
};

function TryAgain({ input }: { input: string }) {
  return (
    <Form method="get" action="/verify" noValidate>
      <TextField id="code" name="code" label="Certificate code" defaultValue={input.trim()} autoComplete="off" spellCheck={false} className="input--narrow certificate-code" />
      <Button>Check certificate</Button>
    </Form>
  );
}

export default function VerifyCodePage() {
  const { input, result } = useLoaderData<typeof loader>();
  if (result.kind === "typo") {
    return (
      <div className="two-thirds">
        <h1>This code has a typing error</h1>
        <p>
          “{input.trim()}” is not a valid certificate code: one of its characters is probably mistyped, or two are the
          wrong way round. Check it against the certificate and try again.
        </p>
        <TryAgain input={input} />
      </div>
    );
  }
  if (result.kind === "malformed") {
    return (
      <div className="two-thirds">
        <h1>This is not a certificate code</h1>
        <p>A certificate code has 11 letters and numbers, for example 7KQ4-MX2P-9RT. Check it against the certificate.</p>
        <TryAgain input={input} />
      </div>
    );
  }
  if (result.kind === "unknown") {
    return (
      <div className="two-thirds">
        <h1>No certificate has this code</h1>
        <p>
          The code is correctly formed, but no Distinct certificate has it. Check it against the certificate. If it is
          right, the certificate was not issued by Distinct.
        </p>
        <TryAgain input={input} />
      </div>
    );
  }
  if (result.kind === "withdrawn") {
    return (
      <div className="two-thirds">
        <span className="caption">Certificate {result.formattedCode}</span>
        <h1>This certificate can no longer be verified</h1>
        <p>
          Distinct issued a certificate with this code, but its holder deleted their account on{" "}
          {formatDate(result.withdrawnAt)}. Their name has been erased, so this page cannot say who it was issued to
          or whether it is valid.
        </p>
        <p>
          If you need evidence of someone&rsquo;s training, ask them or the organisation they trained with.{" "}
          <Link to="/verify">Check another certificate</Link>.
        </p>
      </div>
    );
  }
  const heading =
    result.status === "revoked"
      ? "This certificate has been revoked"
      : result.status === "expired"
        ? "This certificate has expired"
        : "This certificate is valid";
  return (
    <div className="two-thirds">
      <span className="caption">Certificate {result.formattedCode}</span>
      <h1>{heading}</h1>
      <div className={`verify-result verify-result--${result.status}`}>
        <p>
          <CertificateStatusTag status={result.status} />
          {result.status === "revoked" && result.revokedAt ? ` on ${formatDate(result.revokedAt)}` : null}
          {result.status === "expired" && result.expiresAt ? ` on ${formatDate(result.expiresAt)}` : null}
        </p>
        <dl className="summary-list">
          <SummaryRow label="Name">{result.learnerName}</SummaryRow>
          <SummaryRow label="Module">
            {result.moduleTitle}, version {result.moduleVersion}
          </SummaryRow>
          <SummaryRow label="Issued">{formatDate(result.issuedAt)}</SummaryRow>
          <SummaryRow label="Valid until">{result.expiresAt ? formatDate(result.expiresAt) : "Does not expire"}</SummaryRow>
        </dl>
      </div>
      <p>
        Distinct is training for police and partner agencies in England and Wales on stalking, harassment and malicious
        communications. <Link to="/verify">Check another certificate</Link>.
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

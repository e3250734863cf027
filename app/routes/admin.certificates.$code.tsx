import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CertificateStatusTag } from "#app/components/certificate-status-tag.tsx";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ConfirmAction } from "#app/components/ui/confirm.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextAreaField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { CertificateNotFoundError, getCertificateFor, reinstateCertificate, revokeCertificate } from "#app/models/learning/certificate.server.ts";
import { CertificateAdminSchema } from "#app/utils/admin-validation.ts";
import { formatDate, formatDateTime, formatMinutes } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePlatformRole(request, "admin");
  const certificate = await getCertificateFor(admin, params.code ?? "");
  invariantResponse(certificate, "No certificate has this code.");
  return { certificate };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePlatformRole(request, "admin");
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: CertificateAdminSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), confirmRevoke: null }, { status: 400 });
  // Revoking is confirmed on a second step, which posts the reason back with confirmed=yes.
  if (submission.value.intent === "revoke" && formData.get("confirmed") !== "yes") {
    return data({ result: submission.reply(), confirmRevoke: { reason: submission.value.reason } });
  }
  try {
    if (submission.value.intent === "revoke") await revokeCertificate(admin, params.code ?? "", submission.value.reason);
    else await reinstateCertificate(admin, params.code ?? "", submission.value.reason);
  } catch (error) {
    if (error instanceof CertificateNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
  return redirect(`/admin/certificates/${params.code}?done=${submission.value.intent === "revoke" ? "revoked" : "reinstated"}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Certificate ${data?.certificate.formattedCode ?? ""} – Administration – Distinct` },
];

export default function AdminCertificatePage() {
  const { certificate: c } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const revoked = c.status === "revoked";
  const [form, fields] = useForm({
    id: revoked ? "reinstate" : "revoke",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CertificateAdminSchema }),
    shouldValidate: "onSubmit",
  });
  const [params] = useSearchParams();
  if (actionData?.confirmRevoke) {
    return (
      <ConfirmAction
        caption={`Certificate ${c.formattedCode}`}
        question={`Revoke ${c.learnerName}'s certificate for “${c.moduleTitle}”?`}
        consequences={[
          "make the certificate invalid at once",
          "make its public page, and anyone who checks its code or QR, say it was revoked and when",
          `keep your reason (“${actionData.confirmRevoke.reason}”) in the audit log, not shown publicly`,
        ]}
        intent="revoke"
        fields={{ reason: actionData.confirmRevoke.reason, confirmed: "yes" }}
        confirmLabel="Yes, revoke the certificate"
        cancelTo={`/admin/certificates/${c.formattedCode}`}
      />
    );
  }
  const done = params.get("done");
  return (
    <>
      <ErrorSummary errors={summaryErrors(form.errors, [fields.reason])} />
      {done === "revoked" && revoked ? (
        <Notification tone="success" title="Certificate revoked">
          <p>Its public page now says it was revoked. The reason is in the audit log.</p>
        </Notification>
      ) : null}
      {done === "reinstated" && !revoked ? (
        <Notification tone="success" title="Certificate reinstated">
          <p>It is valid again. The revocation and the reinstatement are in the audit log.</p>
        </Notification>
      ) : null}
      <p>
        <Link to="/admin/certificates">← All certificates</Link>
      </p>
      <span className="caption">Certificate</span>
      <h1 className="certificate-code">{c.formattedCode}</h1>
      <dl className="summary-list">
        <SummaryRow label="Status">
          <CertificateStatusTag status={c.status} />
          {revoked ? ` on ${formatDateTime(c.revokedAt)}. Reason: ${c.revokedReason ?? "not given"}` : null}
        </SummaryRow>
        <SummaryRow label="Learner">{c.learnerName}</SummaryRow>
        <SummaryRow label="Module">
          {c.moduleTitle}, version {c.moduleVersion}
        </SummaryRow>
        <SummaryRow label="Organisation">{c.organisationName ?? "None"}</SummaryRow>
        <SummaryRow label="Issued">{formatDate(c.issuedAt)}</SummaryRow>
        <SummaryRow label="Valid until">{c.expiresAt ? formatDate(c.expiresAt) : "Does not expire"}</SummaryRow>
        <SummaryRow label="CPD time">{formatMinutes(c.cpdMinutes)}</SummaryRow>
        <SummaryRow label="Public page">
          <a href={c.verifyUrl}>{c.verifyUrl}</a>
        </SummaryRow>
      </dl>
      <h2>{revoked ? "Reinstate this certificate" : "Revoke this certificate"}</h2>
      <p>
        {revoked
          ? "Reinstating makes the certificate valid again. The revocation stays in the audit log."
          : "Revoking keeps the record and its public address, which will say the certificate was revoked and when. The reason is kept in the audit log, not shown publicly."}
      </p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="intent" value={revoked ? "reinstate" : "revoke"} />
        <TextAreaField id={fields.reason.id} name={fields.reason.name} label="Reason" errors={fields.reason.errors} rows={3} />
        <Button variant={revoked ? "primary" : "warning"}>{revoked ? "Reinstate certificate" : "Revoke certificate"}</Button>
      </Form>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

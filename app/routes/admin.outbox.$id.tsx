import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOutboxMessage } from "#app/models/platform/outbox.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "admin");
  const message = await getOutboxMessage(params.id ?? "");
  invariantResponse(message, "There is no email with this id in the outbox.");
  return { message };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.message.subject ?? "Email"} – Outbox – Distinct` }];

/** Turns the addresses in a plain-text mail into links, so an admin can follow them. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <pre className="mail-text">
      {parts.map((part, index) =>
        /^https?:\/\//.test(part) ? (
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default function OutboxMessagePage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/admin/outbox">← Back to the outbox</Link>
      </p>
      <span className="caption">Email</span>
      <h1>{message.subject}</h1>
      <dl className="summary-list">
        <SummaryRow label="To">{message.recipient}</SummaryRow>
        <SummaryRow label="Kind">{message.kind}</SummaryRow>
        <SummaryRow label="Queued">{formatDateTime(message.createdAt)}</SummaryRow>
        <SummaryRow label="Status">
          {message.status}, {message.attempts} attempt(s){message.sentAt ? `, ${formatDateTime(message.sentAt)}` : ""}
          {message.lastError ? `. Last error: ${message.lastError}` : ""}
        </SummaryRow>
        {message.attachments.length ? (
          <SummaryRow label="Attachments">
            {message.attachments.map((a) => `${a.filename} (${a.bytes < 1024 ? `${a.bytes} bytes` : `${Math.ceil(a.bytes / 1024).toLocaleString("en-GB")} KB`})`).join(", ")}
            <div className="hint">Not shown here: an attachment can hold personal information.</div>
          </SummaryRow>
        ) : null}
      </dl>
      <h2>Message</h2>
      <Linkified text={message.text} />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

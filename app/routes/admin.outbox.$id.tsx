import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOutboxMessage } from "#app/models/platform/outbox.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

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
        <div className="summary-list__row">
          <dt>To</dt>
          <dd>{message.recipient}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Kind</dt>
          <dd>{message.kind}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Queued</dt>
          <dd>{formatDateTime(message.createdAt)}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Status</dt>
          <dd>
            {message.status}, {message.attempts} attempt(s){message.sentAt ? `, ${formatDateTime(message.sentAt)}` : ""}
            {message.lastError ? `. Last error: ${message.lastError}` : ""}
          </dd>
        </div>
        {message.attachments.length ? (
          <div className="summary-list__row">
            <dt>Attachments</dt>
            <dd>
              {message.attachments.map((a) => `${a.filename} (${a.bytes < 1024 ? `${a.bytes} bytes` : `${Math.ceil(a.bytes / 1024).toLocaleString("en-GB")} KB`})`).join(", ")}
              <div className="hint">Not shown here: an attachment can hold personal information.</div>
            </dd>
          </div>
        ) : null}
      </dl>
      <h2>Message</h2>
      <Linkified text={message.text} />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

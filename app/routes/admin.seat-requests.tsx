import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextAreaField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { handleSeatRequest, listSeatRequests, SeatRequestHandledError, SeatRequestNotFoundError } from "#app/models/billing/seat-request.server.ts";
import { formatDate, formatDateTime, plural } from "#app/utils/format.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { HandleSeatRequestSchema } from "#app/utils/seat-request-validation.ts";
import { DataTable } from "#app/components/ui/table.tsx";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "admin");
  const { open, handled } = await listSeatRequests();
  return { open, recent: handled, notice: new URL(request.url).searchParams.get("handled") };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePlatformRole(request, "admin");
  const form = await request.formData();
  const submission = parseWithZod(form, { schema: HandleSeatRequestSchema });
  const requestId = String(form.get("requestId") ?? "");
  if (submission.status !== "success") {
    const errors = submission.reply().error ?? {};
    const message = errors.note?.[0] ?? errors.requestId?.[0] ?? errors.intent?.[0] ?? "Use the Mark handled button.";
    return data({ requestId, note: String(form.get("note") ?? ""), error: message }, { status: 400 });
  }
  try {
    const handled = await handleSeatRequest(admin, submission.value.requestId, submission.value.note);
    return redirect(`/admin/seat-requests?handled=${encodeURIComponent(handled.organisation.name)}`);
  } catch (error) {
    if (error instanceof SeatRequestNotFoundError) throw new Response(error.message, { status: 404 });
    if (error instanceof SeatRequestHandledError) return data({ requestId, note: submission.value.note, error: error.message }, { status: 409 });
    throw error;
  }
}

export const meta: MetaFunction = () => [{ title: "Seat requests – Administration – Distinct" }];

export default function SeatRequestsPage() {
  const { open, recent, notice } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const noteError = failed?.error;
  return (
    <>
      <ErrorSummary errors={failed && noteError ? [{ href: `#note-${failed.requestId}`, message: noteError }] : []} />
      <h1>Seat requests</h1>
      {notice ? (
        <Notification tone="success" title={`Request from ${notice} marked handled`}>
          <p>The training lead who asked has been emailed your note.</p>
        </Notification>
      ) : null}
      <p className="two-thirds">
        Training leads ask for more seats from their Seats and billing page or a staff-list upload. Grant seats on the organisation&rsquo;s
        licences page, or reply to the lead, then mark the request handled: your note is emailed to the lead who asked.
      </p>
      <h2>Open</h2>
      {open.length === 0 ? (
        <p>No open requests.</p>
      ) : (
        <ul className="card-list">
          {open.map((r) => (
            <li key={r.id} className="card">
              <h3 className="card__title">
                {r.organisation.name}: {plural(r.seats, "more seat")}
              </h3>
              <dl className="summary-list">
                <SummaryRow label="Asked by">
                  {r.requestedByName} ({r.requestedByEmail}), {formatDateTime(r.createdAt)}
                  {r.updatedAt.getTime() !== r.createdAt.getTime() ? `, changed ${formatDateTime(r.updatedAt)}` : ""}
                </SummaryRow>
                <SummaryRow label="From">{r.source === "import" ? "A staff-list upload" : "Seats and billing"}</SummaryRow>
                <SummaryRow label="Message">{r.message ?? "None"}</SummaryRow>
              </dl>
              <p>
                <Link to={`/admin/organisations/${r.organisation.id}/licences`}>Licences of {r.organisation.name}</Link>
              </p>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="handle" />
                <input type="hidden" name="requestId" value={r.id} />
                <TextAreaField
                  id={`note-${r.id}`}
                  name="note"
                  label={`Note to ${r.requestedByName}`}
                  hint="What was done (for example, seats granted until a date) or why not. It is emailed to them."
                  rows={3}
                  defaultValue={failed?.requestId === r.id ? failed.note : ""}
                  errors={failed?.requestId === r.id && noteError ? [noteError] : undefined}
                />
                <Button>Mark handled and email {r.requestedByName}</Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <h2>Handled recently</h2>
      {recent.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <DataTable
          caption="Seat requests handled recently, newest first"
          hideCaption
          columns={["Organisation", "Seats", "Asked by", "Handled", "Note"]}
        >
          {recent.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/admin/organisations/${r.organisation.id}/licences`}>{r.organisation.name}</Link>
              </td>
              <td>{r.seats.toLocaleString("en-GB")}</td>
              <td>{r.requestedByName}</td>
              <td>
                {r.handledAt ? formatDate(r.handledAt) : ""} by {r.handledByName ?? "an administrator"}
              </td>
              <td>{r.handledNote}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

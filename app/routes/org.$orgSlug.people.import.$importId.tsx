import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { ProgressBar } from "#app/components/ui/progress-bar.tsx";
import { LeftOutRowsTable } from "#app/components/left-out-rows.tsx";
import { SeatRequestForm, SeatRequestSent } from "#app/components/seat-request-form.tsx";
import { SeatContactLinks } from "#app/components/seat-summary.tsx";
import { getOpenSeatRequest } from "#app/models/billing/seat-request.server.ts";
import { SeatLimitError, seatContacts } from "#app/models/billing/licence.server.ts";
import { cancelImport, getImportPreview, ImportStateError, reapplyLeftOut, requestApply } from "#app/models/organisations/staff-import.server.ts";
import { plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { ImportActionSchema } from "#app/utils/org-validation.ts";
import { submitSeatRequest } from "#app/services/seat-request-action.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

const ERRORS_SHOWN = 200;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const preview = await getImportPreview(organisation.id, params.importId ?? "");
  invariantResponse(preview, "There is no such upload for this organisation.");
  const short = !preview.fits || preview.leftOut.length > 0;
  return {
    organisation,
    preview: { ...preview, rejected: preview.rejected.slice(0, ERRORS_SHOWN), updates: preview.updates.slice(0, ERRORS_SHOWN) },
    rejectedTotal: preview.rejected.length,
    progress: preview.progress,
    contacts: short ? await seatContacts() : [],
    openRequest: short ? await getOpenSeatRequest(organisation.id) : null,
    seatsNotice: new URL(request.url).searchParams.get("seats"),
    leadEmail: user.email,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const preview = await getImportPreview(organisation.id, params.importId ?? "");
  invariantResponse(preview, "There is no such upload for this organisation.");
  const form = await request.formData();
  const here = `/org/${organisation.slug}/people/import/${preview.id}`;
  if (form.get("intent") === "request-seats") return submitSeatRequest(form, user, organisation, "import", here);
  const parsed = ImportActionSchema.safeParse(Object.fromEntries(form));
  invariantResponse(parsed.success, "Use the Apply or Cancel button.", { status: 400 });
  const { intent } = parsed.data;
  if (intent === "cancel") {
    await cancelImport(organisation.id, preview.id);
    return redirect(`/org/${organisation.slug}/people/import`);
  }
  try {
    if (intent === "reapply") return redirect(`/org/${organisation.slug}/people/import/${await reapplyLeftOut(user, organisation.id, preview.id)}`);
    if (preview.status !== "checked") return data({ error: "This upload has already been applied." }, { status: 400 });
    if (preview.fileErrors.length > 0) return data({ error: "Fix the file and upload it again: it cannot be applied." }, { status: 400 });
    if (!preview.fits && intent === "apply") {
      return data(
        { error: `There are not enough free seats: this upload adds ${preview.seatsNeeded} learners and ${preview.seats.free} seats are free.` },
        { status: 400 },
      );
    }
    await requestApply(user, organisation.id, preview.id, { fit: intent === "apply-fitting" });
  } catch (error) {
    if (error instanceof SeatLimitError || error instanceof ImportStateError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
  return redirect(here);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.preview.status === "applied" ? "Upload applied" : data?.preview.status === "applying" ? "Applying the upload" : "Check the upload"} – Distinct` },
  // While it is being applied, the page refreshes itself to show progress: no JavaScript needed.
  ...(data?.preview.status === "applying" ? [{ httpEquiv: "refresh", content: "2" }] : []),
];

type ImportData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function ImportPreviewPage() {
  const { organisation, preview, rejectedTotal, progress, contacts, openRequest, seatsNotice, leadEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const base = `/org/${organisation.slug}/people`;
  const c = preview.counts;
  const applyError = actionData && "error" in actionData ? actionData.error : null;
  const requestFailed = actionData && "seatRequest" in actionData ? actionData.seatRequest : null;
  const requestErrors = [
    ...(requestFailed?.errors.seats?.length ? [{ href: "#more-seats-seats", message: requestFailed.errors.seats[0]! }] : []),
    ...(requestFailed?.errors.message?.length ? [{ href: "#more-seats-message", message: requestFailed.errors.message[0]! }] : []),
  ];
  const askForSeats = (defaultSeats: number) => (
    <section aria-labelledby="seat-request-heading" id="seat-request">
      <h2 id="seat-request-heading">Ask for more seats</h2>
      {seatsNotice === "requested" || seatsNotice === "changed" ? (
        <SeatRequestSent notice={seatsNotice} email={leadEmail} />
      ) : (
        <p className="two-thirds">
          Your request goes to the platform administrators who grant seats
          {contacts.length ? (
            <>
              {" "}
              (<SeatContactLinks emails={contacts} subject={`More Distinct seats for ${organisation.name}`} />)
            </>
          ) : null}
          , and shows on <Link to={`/org/${organisation.slug}/billing`}>Seats and billing</Link>.
        </p>
      )}
      <SeatRequestForm id="more-seats" defaultSeats={defaultSeats} open={openRequest} errors={requestFailed?.errors} values={requestFailed?.values} />
    </section>
  );

  if (preview.status === "applying") return <ImportApplying preview={preview} progress={progress} base={base} />;
  if (preview.status === "applied" && preview.summary) {
    const s = preview.summary;
    return (
      <div className="two-thirds">
        <ErrorSummary errors={[...(applyError ? [{ href: "#reapply", message: applyError }] : []), ...requestErrors]} />
        <div className="panel panel--success">
          <h1 className="panel__title">Staff list applied</h1>
          <p>{preview.fileName}</p>
        </div>
        <dl className="summary-list">
          <SummaryRow label="Invited">{plural(s.invited ?? 0, "person", "people")}: each has been sent an invitation</SummaryRow>
          <SummaryRow label="Updated">{plural(s.updated ?? 0, "person", "people")}</SummaryRow>
          <SummaryRow label="Unchanged">{plural(s.unchanged ?? 0, "person", "people")}</SummaryRow>
          <SummaryRow label="Rejected">{plural(s.rejected ?? 0, "row")}</SummaryRow>
          <SummaryRow label="Teams created">{s.teamsCreated ?? 0}</SummaryRow>
          {s.leftOut ? (
            <SummaryRow label="Left out">{plural(s.leftOut, "row")}: no seat was free for them</SummaryRow>
          ) : null}
        </dl>
        <ButtonLink to={base}>See everyone</ButtonLink>
        {preview.leftOut.length > 0 ? (
          <>
            <h2 id="left-out">Rows left out: no seat</h2>
            <p>
              You chose to apply the rows that fit. These {plural(preview.leftOut.length, "row")} of the file were not imported, because no
              seat was free for them. When the organisation has more seats, check them again: they are compared with everyone as they are
              then, and nothing is saved until you apply them.
            </p>
            <LeftOutRowsTable rows={preview.leftOut} caption="Rows left out, by line in the file" id="left-out-rows" />
            <Form method="post" id="reapply">
              <input type="hidden" name="intent" value="reapply" />
              <Button variant="secondary">Check the {plural(preview.leftOut.length, "row")} left out again</Button>
            </Form>
            {askForSeats(preview.leftOut.length)}
          </>
        ) : null}
      </div>
    );
  }
  const canApply = preview.status === "checked" && preview.fileErrors.length === 0 && preview.fits && c.invite + c.update > 0;
  return (
    <>
      <ErrorSummary
        errors={[
          ...(applyError ? [{ href: "#apply", message: applyError }] : []),
          ...requestErrors,
          ...preview.fileErrors.map((message) => ({ href: "#file-problems", message })),
        ]}
      />
      <span className="caption">{preview.fileName}</span>
      <h1>Check the staff list before you apply it</h1>
      {preview.error && preview.status === "checked" ? <Notification tone="warning" title={preview.error} /> : null}
      {preview.fileErrors.length > 0 ? (
        <FileProblems fileErrors={preview.fileErrors} base={base} />
      ) : (
        <>
          <PreviewCounts preview={preview} />
          {preview.warnings.length > 0 ? (
            <Notification tone="warning" title="Check these">
              <ul>
                {preview.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </Notification>
          ) : null}
          <RejectedRows preview={preview} rejectedTotal={rejectedTotal} />
          <PlannedUpdates preview={preview} c={c} />
          <RowsThatFit preview={preview} />
          <ApplyButtons preview={preview} canApply={canApply} />
          {!preview.fits ? askForSeats(Math.max(1, preview.seatsNeeded - preview.seats.free)) : null}
        </>
      )}
    </>
  );
}

/** Apply all, apply the rows that fit (when seats run short), or cancel the upload. */
function ApplyButtons({ preview, canApply }: { preview: ImportData["preview"]; canApply: boolean }) {
  const c = preview.counts;
  return (
    <div id="apply" className="button-group">
      {!preview.fits && preview.fit && preview.status === "checked" ? (
        <Form method="post" reloadDocument>
          <input type="hidden" name="intent" value="apply-fitting" />
          <Button>
            Apply the {plural(preview.fit.invite + preview.fit.update, "row")} that fit, leave out {preview.fit.leftOut.length}
          </Button>
        </Form>
      ) : null}
      {canApply ? (
        // A full page post: the next page is the progress page, which refreshes itself.
        <Form method="post" reloadDocument>
          <input type="hidden" name="intent" value="apply" />
          <Button>
            Apply: invite {c.invite}, update {c.update}
          </Button>
        </Form>
      ) : c.invite + c.update === 0 ? (
        <p>There is nothing to change: everyone in the file is already up to date.</p>
      ) : null}
      <Form method="post" reloadDocument>
        <input type="hidden" name="intent" value="cancel" />
        <Button variant="secondary">Cancel</Button>
      </Form>
    </div>
  );
}

function FileProblems({ fileErrors, base }: { fileErrors: string[]; base: string }) {
  return (
    <div id="file-problems" className="two-thirds">
      <p>The file cannot be used:</p>
      <ul>
        {fileErrors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
      <ButtonLink to={`${base}/import`}>Upload another file</ButtonLink>
    </div>
  );
}

/** What applying the file would do: people to invite and update, problem rows, new teams, and whether the seats suffice. */
function PreviewCounts({ preview }: { preview: ImportData["preview"] }) {
  const c = preview.counts;
  return (
    <dl className="summary-list">
      <SummaryRow label="Rows in the file">{preview.totalRows.toLocaleString("en-GB")}</SummaryRow>
      <SummaryRow label="To invite">{plural(c.invite, "person", "people")}</SummaryRow>
      <SummaryRow label="To update">{plural(c.update, "person", "people")}</SummaryRow>
      <SummaryRow label="Already up to date">{plural(c.unchanged, "person", "people")}</SummaryRow>
      <SummaryRow label="Rows with problems">{plural(c.rejected, "row")}: these will not be imported</SummaryRow>
      <SummaryRow label="New teams">{preview.newTeams.length ? preview.newTeams.join(", ") : "None"}</SummaryRow>
      <SummaryRow label="Seats">
        This adds {plural(preview.seatsNeeded, "learner")}. {preview.seats.free.toLocaleString("en-GB")} of{" "}
        {preview.seats.seats.toLocaleString("en-GB")} seats are free.
        {!preview.fits ? (
          <>
            {" "}
            <strong>Not enough seats.</strong>{" "}
            {preview.fit
              ? `You can apply the rows that fit now and leave ${plural(preview.fit.leftOut.length, "new learner")} out, `
              : "You can "}
            <a href="#seat-request">ask for more seats</a>, or remove rows from the file.
          </>
        ) : null}
      </SummaryRow>
    </dl>
  );
}

/** When seats run short: which rows applying the rows that fit would leave out. */
function RowsThatFit({ preview }: { preview: ImportData["preview"] }) {
  return (
    <>
      {!preview.fits && preview.fit ? (
        <>
          <h2>Apply the rows that fit</h2>
          <p className="two-thirds">
            {plural(preview.seats.free, "seat is", "seats are")} free, so the first {plural(preview.seats.free, "new learner")} in the file
            (in file order) can be added now, with every training lead and change in it. These{" "}
            {plural(preview.fit.leftOut.length, "row")} would be left out; you can check them again from the next page once there are
            seats.
          </p>
          <LeftOutRowsTable rows={preview.fit.leftOut} caption="Rows that would be left out, by line in the file" id="would-leave-out" />
        </>
      ) : null}
    </>
  );
}

function PlannedUpdates({ preview, c }: { preview: ImportData["preview"]; c: ImportData["preview"]["counts"] }) {
  return (
    <>
      {preview.updates.length > 0 ? (
        <details>
          <summary>What changes for the {plural(c.update, "person", "people")} updated</summary>
          <ul>
            {preview.updates.map((u) => (
              <li key={u.email}>
                Line {u.line}, {u.email}: {u.changes.join(", ")}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

/** The rows the file cannot use, by line, the first of them listed. */
function RejectedRows({ preview, rejectedTotal }: { preview: ImportData["preview"]; rejectedTotal: number }) {
  return (
    <>
      {rejectedTotal > 0 ? (
        <>
          <h2>Rows with problems</h2>
          <p>Fix these in the file and upload it again, or apply the rest now and fix these later.</p>
          <DataTable caption="Rows with problems, by line in the file" hideCaption columns={["Line", "Column", "Value", "Problem"]}>
            {preview.rejected.map((e, i) => (
              <tr key={`${e.line}-${e.column}-${i}`}>
                <td>{e.line}</td>
                <td>{e.column || "Whole row"}</td>
                <td>{e.value}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </DataTable>
          {rejectedTotal > preview.rejected.length ? <p>And {rejectedTotal - preview.rejected.length} more.</p> : null}
        </>
      ) : null}
    </>
  );
}

/** While the import is applied (as a job): how far it has got; the page refreshes itself. */
function ImportApplying({ preview, progress, base }: Pick<ImportData, "preview" | "progress"> & { base: string }) {
  return (
    <div className="two-thirds">
      <h1>Applying {preview.fileName}</h1>
      {progress && progress.total > 0 ? (
        <ProgressBar id="import-progress" value={progress.done} max={Math.max(1, progress.total)} label={`${progress.done.toLocaleString("en-GB")} of ${progress.total.toLocaleString("en-GB")} people done`} />
      ) : (
        <p>The upload is being applied.</p>
      )}
      <p role="status">
        People are added in batches, and each is sent an invitation as their batch is saved. You can leave this page: the import carries on.
        This page updates itself every few seconds.
      </p>
      <p>
        <Link to={`${base}/import/${preview.id}`}>Refresh now</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

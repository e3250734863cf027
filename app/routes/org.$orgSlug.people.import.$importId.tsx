import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { ProgressBar } from "#app/components/ui/progress-bar.tsx";
import { SeatContactLinks } from "#app/components/seat-summary.tsx";
import { SeatLimitError, seatContacts } from "#app/models/billing/licence.server.ts";
import { cancelImport, getImportPreview, ImportStateError, requestApply } from "#app/models/organisations/staff-import.server.ts";
import { plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { ImportActionSchema } from "#app/utils/org-validation.ts";

const ERRORS_SHOWN = 200;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const preview = await getImportPreview(organisation.id, params.importId ?? "");
  invariantResponse(preview, "There is no such upload for this organisation.");
  return {
    organisation,
    preview: { ...preview, rejected: preview.rejected.slice(0, ERRORS_SHOWN), updates: preview.updates.slice(0, ERRORS_SHOWN) },
    rejectedTotal: preview.rejected.length,
    progress: preview.progress,
    contacts: preview.fits ? [] : await seatContacts(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const preview = await getImportPreview(organisation.id, params.importId ?? "");
  invariantResponse(preview, "There is no such upload for this organisation.");
  const parsed = ImportActionSchema.safeParse(Object.fromEntries(await request.formData()));
  invariantResponse(parsed.success, "Use the Apply or Cancel button.", { status: 400 });
  if (parsed.data.intent === "cancel") {
    await cancelImport(organisation.id, preview.id);
    return redirect(`/org/${organisation.slug}/people/import`);
  }
  if (preview.status !== "checked") return data({ error: "This upload has already been applied." }, { status: 400 });
  if (preview.fileErrors.length > 0) return data({ error: "Fix the file and upload it again: it cannot be applied." }, { status: 400 });
  if (!preview.fits) {
    return data(
      { error: `There are not enough free seats: this upload adds ${preview.seatsNeeded} learners and ${preview.seats.free} seats are free.` },
      { status: 400 },
    );
  }
  try {
    await requestApply(user, organisation.id, preview.id);
  } catch (error) {
    if (error instanceof SeatLimitError || error instanceof ImportStateError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
  return redirect(`/org/${organisation.slug}/people/import/${preview.id}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.preview.status === "applied" ? "Upload applied" : data?.preview.status === "applying" ? "Applying the upload" : "Check the upload"} – Distinct` },
  // While it is being applied, the page refreshes itself to show progress: no JavaScript needed.
  ...(data?.preview.status === "applying" ? [{ httpEquiv: "refresh", content: "2" }] : []),
];

export default function ImportPreviewPage() {
  const { organisation, preview, rejectedTotal, progress, contacts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const base = `/org/${organisation.slug}/people`;
  const c = preview.counts;

  if (preview.status === "applying") {
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
  if (preview.status === "applied" && preview.summary) {
    const s = preview.summary;
    return (
      <div className="two-thirds">
        <div className="panel panel--success">
          <h1 className="panel__title">Staff list applied</h1>
          <p>{preview.fileName}</p>
        </div>
        <dl className="summary-list">
          <div className="summary-list__row">
            <dt>Invited</dt>
            <dd>{plural(s.invited ?? 0, "person", "people")}: each has been sent an invitation</dd>
          </div>
          <div className="summary-list__row">
            <dt>Updated</dt>
            <dd>{plural(s.updated ?? 0, "person", "people")}</dd>
          </div>
          <div className="summary-list__row">
            <dt>Unchanged</dt>
            <dd>{plural(s.unchanged ?? 0, "person", "people")}</dd>
          </div>
          <div className="summary-list__row">
            <dt>Rejected</dt>
            <dd>{plural(s.rejected ?? 0, "row")}</dd>
          </div>
          <div className="summary-list__row">
            <dt>Teams created</dt>
            <dd>{s.teamsCreated ?? 0}</dd>
          </div>
        </dl>
        <ButtonLink to={base}>See everyone</ButtonLink>
      </div>
    );
  }
  const canApply = preview.status === "checked" && preview.fileErrors.length === 0 && preview.fits && c.invite + c.update > 0;
  return (
    <>
      <ErrorSummary
        errors={[
          ...(actionData?.error ? [{ href: "#apply", message: actionData.error }] : []),
          ...preview.fileErrors.map((message) => ({ href: "#file-problems", message })),
        ]}
      />
      <span className="caption">{preview.fileName}</span>
      <h1>Check the staff list before you apply it</h1>
      {preview.error && preview.status === "checked" ? <Notification tone="warning" title={preview.error} /> : null}
      {preview.fileErrors.length > 0 ? (
        <div id="file-problems" className="two-thirds">
          <p>The file cannot be used:</p>
          <ul>
            {preview.fileErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          <ButtonLink to={`${base}/import`}>Upload another file</ButtonLink>
        </div>
      ) : (
        <>
          <dl className="summary-list">
            <div className="summary-list__row">
              <dt>Rows in the file</dt>
              <dd>{preview.totalRows.toLocaleString("en-GB")}</dd>
            </div>
            <div className="summary-list__row">
              <dt>To invite</dt>
              <dd>{plural(c.invite, "person", "people")}</dd>
            </div>
            <div className="summary-list__row">
              <dt>To update</dt>
              <dd>{plural(c.update, "person", "people")}</dd>
            </div>
            <div className="summary-list__row">
              <dt>Already up to date</dt>
              <dd>{plural(c.unchanged, "person", "people")}</dd>
            </div>
            <div className="summary-list__row">
              <dt>Rows with problems</dt>
              <dd>{plural(c.rejected, "row")}: these will not be imported</dd>
            </div>
            <div className="summary-list__row">
              <dt>New teams</dt>
              <dd>{preview.newTeams.length ? preview.newTeams.join(", ") : "None"}</dd>
            </div>
            <div className="summary-list__row">
              <dt>Seats</dt>
              <dd>
                This adds {plural(preview.seatsNeeded, "learner")}. {preview.seats.free.toLocaleString("en-GB")} of{" "}
                {preview.seats.seats.toLocaleString("en-GB")} seats are free.
                {!preview.fits ? (
                  <>
                    {" "}
                    <strong>Not enough seats.</strong> Ask <SeatContactLinks emails={contacts} subject={`More Distinct seats for ${organisation.name}`} /> for
                    more (<Link to={`/org/${organisation.slug}/billing`}>seats and billing</Link>), or remove rows from the file.
                  </>
                ) : null}
              </dd>
            </div>
          </dl>
          {preview.warnings.length > 0 ? (
            <Notification tone="warning" title="Check these">
              <ul>
                {preview.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </Notification>
          ) : null}
          {rejectedTotal > 0 ? (
            <>
              <h2>Rows with problems</h2>
              <p>Fix these in the file and upload it again, or apply the rest now and fix these later.</p>
              <div className="table-scroll">
                <table>
                  <caption className="visually-hidden">Rows with problems, by line in the file</caption>
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Column</th>
                      <th scope="col">Value</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rejected.map((e, i) => (
                      <tr key={`${e.line}-${e.column}-${i}`}>
                        <td>{e.line}</td>
                        <td>{e.column || "Whole row"}</td>
                        <td>{e.value}</td>
                        <td>{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {rejectedTotal > preview.rejected.length ? <p>And {rejectedTotal - preview.rejected.length} more.</p> : null}
            </>
          ) : null}
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
          <div id="apply" className="button-group">
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
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

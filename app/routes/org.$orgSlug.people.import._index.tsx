import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  redirect,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { SeatContactLinks } from "#app/components/seat-summary.tsx";
import { seatContacts, seatSummary } from "#app/models/billing/licence.server.ts";
import { checkUpload, listImports, MAX_UPLOAD_BYTES } from "#app/models/organisations/staff-import.server.ts";
import { formatDateTime, plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { staffCsvColumns } from "#app/utils/staff-csv-columns.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const [imports, seats, contacts] = await Promise.all([listImports(organisation.id), seatSummary(organisation.id), seatContacts()]);
  // Seats are shown before the upload, so a lead knows how many new learners the file can add.
  return { organisation, imports, seats: { state: seats.state, seats: seats.seats, free: seats.free }, contacts };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  let file: File | null = null;
  try {
    const form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
    const value = form.get("file");
    file = value instanceof File ? value : null;
  } catch {
    return data({ error: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.` }, { status: 400 });
  }
  if (!file || file.size === 0) return data({ error: "Choose a CSV file to upload" }, { status: 400 });
  if (!/\.(csv|txt)$/i.test(file.name) && !/csv|text\/plain/.test(file.type)) {
    return data({ error: "The file must be a CSV file: in Excel choose Save As, then 'CSV UTF-8 (Comma delimited)'" }, { status: 400 });
  }
  const importId = await checkUpload(user, organisation.id, file.name, new Uint8Array(await file.arrayBuffer()));
  return redirect(`/org/${organisation.slug}/people/import/${importId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Upload a staff list – ${data?.organisation.name ?? ""} – Distinct` }];

export default function ImportPage() {
  const { organisation, imports, seats, contacts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting";
  return (
    <>
      <ErrorSummary errors={actionData?.error ? [{ href: "#file", message: actionData.error }] : []} />
      <h1>Upload a staff list</h1>
      <div className="two-thirds">
        <p>
          Upload a CSV file with one row per person. We check every row first and show you what will change before
          anything is saved. Uploading the same file again changes nothing.
        </p>
        <div className="notification notification--info" role="region" aria-label="Seats">
          <p className="notification__title">
            {seats.state === "expired"
              ? `${organisation.name}'s licence has ended: no new learners can be added`
              : `${plural(seats.free, "seat")} free of ${seats.seats.toLocaleString("en-GB")}${seats.state === "trial" ? " (the free trial)" : ""}`}
          </p>
          <p>
            Each new learner in the file takes a seat; training leads and people already here do not.{" "}
            <Link to={`/org/${organisation.slug}/billing`}>See seats and billing</Link>, or ask{" "}
            <SeatContactLinks emails={contacts} subject={`More Distinct seats for ${organisation.name}`} /> for more.
          </p>
        </div>
        <p>
          <a href={`/org/${organisation.slug}/people/import/template`} download>
            Download a template (CSV)
          </a>
        </p>
        <Form method="post" encType="multipart/form-data" noValidate>
          <div className={`form-group${actionData?.error ? " form-group--error" : ""}`}>
            <label className="label" htmlFor="file">
              Staff list (CSV, up to 20,000 rows)
            </label>
            <div className="hint" id="file-hint">
              Save it from Excel as “CSV UTF-8 (Comma delimited)”. The first row must name the columns.
            </div>
            {actionData?.error ? (
              <p className="error-message" id="file-error">
                <span className="visually-hidden">Error: </span>
                {actionData.error}
              </p>
            ) : null}
            <input className="file-upload" id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby={`file-hint${actionData?.error ? " file-error" : ""}`} />
          </div>
          <Button disabled={uploading}>{uploading ? "Checking the file…" : "Check the file"}</Button>
          {uploading ? (
            <p role="status" className="secondary">
              Uploading and checking every row. A file of 10,000 rows takes a few seconds.
            </p>
          ) : null}
        </Form>
        <h2>Columns</h2>
        <table>
          <caption className="visually-hidden">The columns of the staff list</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">What to put in it</th>
            </tr>
          </thead>
          <tbody>
            {staffCsvColumns.map((c) => (
              <tr key={c.field}>
                <td>
                  <strong>{c.header}</strong>
                  {c.required ? " (required)" : ""}
                  {c.alsoAccepted.length ? <div className="small secondary">Also: {c.alsoAccepted.slice(0, 4).join(", ")}</div> : null}
                </td>
                <td>
                  {c.hint} <span className="secondary">Example: {c.example}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {imports.length > 0 ? (
        <>
          <h2>Recent uploads</h2>
          <ul className="task-list">
            {imports.map((i) => (
              <li key={i.id} className="task-list__item">
                <span className="task-list__name">
                  <Link to={`/org/${organisation.slug}/people/import/${i.id}`}>{i.fileName}</Link>{" "}
                  <span className="secondary">{formatDateTime(i.createdAt)}</span>
                </span>
                <span>
                  {i.status === "applied" && i.summary
                    ? `${i.summary.invited ?? 0} invited, ${i.summary.updated ?? 0} updated, ${i.summary.unchanged ?? 0} unchanged, ${i.summary.rejected ?? 0} rejected`
                    : i.status === "checked"
                      ? "Checked, not applied"
                      : i.status === "applying"
                        ? "Being applied"
                        : "Could not be read"}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

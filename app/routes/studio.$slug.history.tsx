import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";
import { DiffView } from "#app/components/studio/diff-view.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { historyPage } from "#app/models/authoring/history.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const page = await historyPage(params.slug ?? "", new URL(request.url).searchParams);
  invariantResponse(page, "There is no module at this address.");
  return page;
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `History – ${page.title} – Studio – Distinct` : "Not found – Studio – Distinct" }];

const STATUS: Record<string, string> = { added: "new", removed: "removed", changed: "changed" };

export default function HistoryPage() {
  const page = useLoaderData<typeof loader>();
  const options = page.versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  return (
    <>
      <Breadcrumbs trail={[{ to: `/studio/${page.slug}`, label: page.title }]} current="History" />
      {page.published ? <Notification tone="success" title={`Published version ${page.published}. New learners start on it; learners mid-way stay on theirs.`} /> : null}
      <h1>History: {page.title}</h1>
      <div className="table-scroll">
        <table>
          <caption>Versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">Written by</th>
              <th scope="col">Reviewed by</th>
              <th scope="col">Why</th>
              <th scope="col">Export</th>
            </tr>
          </thead>
          <tbody>
            {page.versions.map((v) => (
              <tr key={v.id}>
                <td>{v.version}</td>
                <td>
                  {formatDateTime(new Date(v.publishedAt))}
                  <br />
                  <span className="hint">by {v.publishedBy}</span>
                </td>
                <td>{v.authorName ?? "Files in content/"}</td>
                <td>{v.reviewerName ?? "None (imported from files)"}</td>
                <td>
                  {v.materialChange ? <Tag tone="warning">Material change</Tag> : <Tag tone="neutral">Correction</Tag>} {v.changeNote ?? ""}
                </td>
                <td>
                  {v.exportable ? (
                    <a href={`/studio/${page.slug}/versions/${v.version}/export.zip`} download>
                      Download version {v.version} as a zip
                    </a>
                  ) : (
                    "Source not stored"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {page.versions.length > 1 ? (
        <>
          <h2>Compare two versions</h2>
          <Form method="get" className="two-thirds">
            <SelectField id="compare-from" name="from" label="From" options={options} defaultValue={String(page.compare?.from ?? page.versions[1]?.version ?? "")} />
            <SelectField id="compare-to" name="to" label="To" options={options} defaultValue={String(page.compare?.to ?? page.versions[0]?.version ?? "")} />
            <Button variant="secondary">Compare</Button>
          </Form>
        </>
      ) : null}
      {page.compare ? (
        <section aria-labelledby="compare-heading">
          <h2 id="compare-heading">
            Version {page.compare.from} → version {page.compare.to}
          </h2>
          {page.compare.result === null ? (
            <p>One of these versions has no stored source to compare.</p>
          ) : (
            <>
              {page.compare.result.files.length === 0 && page.compare.result.questions.length === 0 ? <p>No differences.</p> : null}
              {page.compare.result.files.map((f) => (
                <section key={f.file} aria-labelledby={`h-${f.file}`}>
                  <h3 id={`h-${f.file}`}>
                    {f.file} ({STATUS[f.status]})
                  </h3>
                  <DiffView parts={f.rendered ?? f.source} label={f.file} />
                </section>
              ))}
              {page.compare.result.questions.map((q) => (
                <section key={q.id} aria-labelledby={`q-${q.id}`}>
                  <h3 id={`q-${q.id}`}>
                    Question {q.id} ({STATUS[q.status]})
                  </h3>
                  <DiffView parts={q.lines} label={`Question ${q.id}`} />
                </section>
              ))}
            </>
          )}
        </section>
      ) : null}

      <h2>Import a zip as a draft</h2>
      {page.hasOpenDraft ? (
        <p>This module has an open draft: publish or discard it before importing.</p>
      ) : (
        <Form method="post" encType="multipart/form-data" action={`/studio/${page.slug}/import`} className="two-thirds">
          <div className="form-group">
            <label className="label" htmlFor="zip">
              Zip of a module folder
            </label>
            <div id="zip-hint" className="hint">
              A zip of content/modules/{page.slug}/, as downloaded above: index.mdx, the lessons and quiz.yaml. It becomes a draft for review.
            </div>
            <input className="file-upload" id="zip" name="zip" type="file" accept=".zip,application/zip" aria-describedby="zip-hint" />
          </div>
          <Button variant="secondary">Import as a draft</Button>
        </Form>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect, unstable_createMemoryUploadHandler as createMemoryUploadHandler, unstable_parseMultipartFormData as parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";
import { ProblemList } from "#app/components/studio/problem-list.tsx";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { DataTable } from "#app/components/ui/table.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { MAX_BANK_BYTES, questionBankPage, runBankIntent } from "#app/models/authoring/question-bank.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const page = await questionBankPage(params.slug ?? "", new URL(request.url).searchParams);
  invariantResponse(page, "This module has no open draft: open one from the module's studio page.");
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const multipart = (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
  // A part larger than the limit throws before it is all read: the same refusal the model gives a large file.
  const form = multipart ? await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_BANK_BYTES })).catch(() => null) : await request.formData();
  if (!form) return data({ errors: { file: `The file is larger than ${MAX_BANK_BYTES / 1000} kB: a question bank is much smaller` }, problems: [] }, { status: 400 });
  const outcome = await runBankIntent(actor, params.slug ?? "", form);
  if (outcome.kind === "redirect") return redirect(outcome.to);
  return data({ errors: outcome.errors, problems: outcome.problems }, { status: outcome.status });
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `Questions – ${page.moduleTitle} – Studio – Distinct` : "Questions not found – Studio – Distinct" }];

export default function QuestionBankPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({ href: field === "file" ? "#file" : "#questions", message }));
  const hidden = (
    <>
      <input type="hidden" name="draftId" value={page.draftId} />
      <input type="hidden" name="revision" value={page.revision} />
    </>
  );
  const live = page.questions.filter((q) => !q.retired).length;
  return (
    <>
      <Breadcrumbs trail={[{ to: `/studio/${page.slug}`, label: page.moduleTitle }]} current="Questions" />
      <ErrorSummary errors={summary} />
      {page.notice ? <Notification tone="success" title={`${page.notice} Learners see nothing until a review approves the draft.`} /> : null}
      <h1>Question bank</h1>
      <p>
        {page.questions.length} question{page.questions.length === 1 ? "" : "s"}, {live} drawn for learners
        {page.drawn !== null ? `; each attempt draws ${page.drawn}` : ""}. A retired question stays in the bank, so attempts that drew it still show it, but
        is never drawn again. The pass mark and the number drawn are in the <Link to={`/studio/${page.slug}/files/quiz.yaml`}>quiz.yaml file editor</Link>.
      </p>
      {page.editing ? (
        <p>
          <ButtonLink to={`/studio/${page.slug}/questions/new`}>Add a question</ButtonLink>
        </p>
      ) : (
        <p>This draft is waiting for review: it cannot change until a reviewer returns it.</p>
      )}
      {errors.form ? (
        <p className="error-message">
          <span className="visually-hidden">Error: </span>
          {errors.form}
        </p>
      ) : null}
      {!page.readable ? (
        <p>
          quiz.yaml cannot be read as a question bank. Fix it in the <Link to={`/studio/${page.slug}/files/quiz.yaml`}>file editor</Link> or import a good file below.
        </p>
      ) : page.questions.length === 0 ? (
        <p id="questions">This draft has no questions yet.</p>
      ) : (
        <DataTable id="questions" caption="Questions, in the order of the bank" columns={["#", "Question", "Type", "Tags", "Actions"]}>
          {page.questions.map((q, i) => (
            <tr key={`${q.id}-${i}`}>
              <td>{i + 1}</td>
              <td>
                <strong>{q.id}</strong> {q.retired ? <Tag tone="neutral">Retired</Tag> : null}
                <br />
                {q.excerpt}
              </td>
              <td>{q.type}</td>
              <td>{q.tags.join(", ")}</td>
              <td>
                <Link to={`/studio/${page.slug}/questions/${q.id}/edit`} aria-label={`Edit ${q.id}`}>
                  Edit
                </Link>
                {page.editing ? (
                  <div className="button-group">
                    {i > 0 ? <RowButton hidden={hidden} id={q.id} intent="move-up" label="Move up" ariaLabel={`Move ${q.id} up`} /> : null}
                    {i < page.questions.length - 1 ? <RowButton hidden={hidden} id={q.id} intent="move-down" label="Move down" ariaLabel={`Move ${q.id} down`} /> : null}
                    <RowButton hidden={hidden} id={q.id} intent={q.retired ? "restore" : "retire"} warning={!q.retired} label={q.retired ? "Restore" : "Retire"} ariaLabel={`${q.retired ? "Restore" : "Retire"} ${q.id}`} />
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>Problems in the bank</h2>
      <ProblemList slug={page.slug} problems={page.problems} id="bank-problems" />

      <h2>YAML for power users</h2>
      {page.hasBank ? (
        <p>
          <a href={`/studio/${page.slug}/questions/export.yaml`} download="quiz.yaml">
            Download the draft&rsquo;s quiz.yaml
          </a>
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate className="two-thirds">
        {hidden}
        <input type="hidden" name="intent" value="import" />
        <div className={`form-group${errors.file ? " form-group--error" : ""}`}>
          <label className="label" htmlFor="file">
            Import a quiz.yaml, replacing the whole bank
          </label>
          <div className="hint" id="file-hint">
            The file is checked as <code>npm run content:check</code> checks it; any problem refuses it whole and nothing changes.
          </div>
          {errors.file ? (
            <p className="error-message" id="file-error">
              <span className="visually-hidden">Error: </span>
              {errors.file}
            </p>
          ) : null}
          <input className="file-upload" type="file" id="file" name="file" accept=".yaml,.yml,text/yaml" aria-describedby={errors.file ? "file-hint file-error" : "file-hint"} />
        </div>
        {result && result.problems.length > 0 ? (
          <ul className="problem-list" id="import-problems" aria-label="Problems in the imported file">
            {result.problems.map((p, i) => (
              <li key={`${p.line}:${p.column}:${i}`}>
                quiz.yaml:{p.line}:{p.column} {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        {page.editing ? <Button variant="secondary">Import</Button> : null}
      </Form>
    </>
  );
}

/** A row's button: a form of its own posting the intent for one question, with the draft's revision (hidden). */
function RowButton({ hidden, id, intent, label, ariaLabel, warning = false }: { hidden: ReactNode; id: string; intent: string; label: string; ariaLabel: string; warning?: boolean }) {
  return (
    <Form method="post">
      {hidden}
      <input type="hidden" name="id" value={id} />
      <Button name="intent" value={intent} variant={warning ? "warning" : "secondary"} aria-label={ariaLabel}>
        {label}
      </Button>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

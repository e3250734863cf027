import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";
import { LessonEditor } from "#app/components/studio/lesson-editor.tsx";
import { ProblemList } from "#app/components/studio/problem-list.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { fileEditorPage, runFileIntent } from "#app/models/authoring/file-editor.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const url = new URL(request.url);
  const page = await fileEditorPage(params.slug ?? "", params.file ?? "", url.searchParams);
  invariantResponse(page, "This module has no open draft with that file.");
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const outcome = await runFileIntent(actor, params.slug ?? "", params.file ?? "", await request.formData());
  if (outcome.kind === "redirect") return redirect(outcome.to);
  return data(outcome, { status: outcome.status });
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `${page.file} – ${page.moduleTitle} – Studio – Distinct` : "File not found – Studio – Distinct" }];

export default function FileEditorPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && "errors" in result ? result.errors : {};
  const text = (result && "text" in result ? result.text : null) ?? page.text;
  const preview = result && "preview" in result ? result.preview : null;
  const summary = Object.values(errors).map((message) => ({ href: "#editor", message }));

  return (
    <>
      <Breadcrumbs trail={[{ to: `/studio/${page.slug}`, label: page.moduleTitle }]} current={page.file} />
      <ErrorSummary errors={summary} />
      {page.saved ? <Notification tone="success" title="Saved. Learners see nothing until a review approves the draft." /> : null}
      <h1>Edit {page.label}</h1>
      <h2>Problems in this file</h2>
      <ProblemList slug={page.slug} problems={preview ? preview.problems : page.problems} />
      {page.at ? <LineFocus at={page.at} /> : null}
      {page.status !== "editing" ? <p>This draft is waiting for review: it cannot change until a reviewer returns it.</p> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="draftId" value={page.draftId} />
        <input type="hidden" name="revision" value={page.revision} />
        {/* A new editor (and CodeMirror with it) for each file and each saved revision: moving between two
            files of one draft (back and forward) keeps this route mounted, and must not keep the other file's text. */}
        <LessonEditor
          key={`${page.slug}/${page.file}@${page.revision}`}
          label={page.file}
          defaultValue={text}
          readOnly={page.status !== "editing"}
          errors={Object.values(errors)}
          at={page.at}
          markdown={page.file.endsWith(".mdx")}
        />
        <div className="button-group">
          {page.status === "editing" ? <Button name="intent" value="save">Save</Button> : null}
          {page.canPreview ? (
            <Button name="intent" value="preview" variant="secondary">
              Preview
            </Button>
          ) : null}
        </div>
      </Form>
      {preview ? <PreviewSection preview={preview} /> : null}
      {page.status === "editing" && page.canDelete ? (
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="draftId" value={page.draftId} />
          <input type="hidden" name="revision" value={page.revision} />
          <Button variant="warning">Delete this file from the draft</Button>
        </Form>
      ) : null}
    </>
  );
}

/** The line a problem's link points at, with the text from the problem's column on marked, and its messages. */
function LineFocus({ at }: { at: NonNullable<SerializeFrom<typeof loader>["at"]> }) {
  return (
    <div className="inset" id="line-focus">
      <p>
        Line {at.line}, column {at.column}:
      </p>
      {/* The line, with the text from the problem's column on marked. */}
      <pre>
        <code>
          {at.text.slice(0, at.column - 1)}
          <mark>{at.text.slice(at.column - 1) || " "}</mark>
        </code>
      </pre>
      {at.messages.length > 0 ? (
        <ul>
          {at.messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The server's rendering of the unsaved text, as a learner will see it, or why it cannot be shown. */
function PreviewSection({ preview }: { preview: { html: string | null; title?: string | null } }) {
  return (
    <section aria-labelledby="preview-heading" className="studio-preview">
      <h2 id="preview-heading">Preview (not saved)</h2>
      {preview.html !== null ? (
        <>
          <p className="hint">As a learner will see it: the same components and styles as the lesson page.</p>
          {preview.title ? <h1>{preview.title}</h1> : null}
          <article className="prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
        </>
      ) : (
        <p>This text cannot be shown until the problems above are fixed.</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

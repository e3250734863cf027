import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";
import { DiffView } from "#app/components/studio/diff-view.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextAreaField } from "#app/components/ui/field.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { StudioError } from "#app/models/authoring/drafts.server.ts";
import { reviewPage } from "#app/models/authoring/review-page.server.ts";
import { runReviewIntent } from "#app/models/authoring/review.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const page = await reviewPage(params.slug ?? "", actor.id);
  invariantResponse(page, "This module has no open draft to review.");
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const slug = params.slug ?? "";
  try {
    const outcome = await runReviewIntent(actor, slug, await request.formData());
    if (outcome.kind === "invalid") return data({ errors: outcome.errors }, { status: 400 });
    return redirect(outcome.kind === "published" ? `/studio/${slug}/history?published=${outcome.version}` : `/studio/${slug}/review`);
  } catch (error) {
    if (error instanceof StudioError) return data({ errors: { body: error.message } }, { status: error.status });
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `Review – ${page.module.title} – Studio – Distinct` : "Not found – Studio – Distinct" }];

const KIND: Record<string, string> = { comment: "commented", submitted: "submitted for review", returned: "returned the draft", approved: "approved" };
const STATUS: Record<string, string> = { added: "new", removed: "removed", changed: "changed" };

export default function ReviewPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const summary = Object.values(errors).map((message) => ({ href: "#review-body", message }));
  const { comparison, draft } = page;
  const inReview = draft.status === "in_review";
  return (
    <>
      <Breadcrumbs trail={[{ to: `/studio/${page.module.slug}`, label: page.module.title }]} current="Review" />
      <ErrorSummary errors={summary} />
      <h1>Review: {page.module.title}</h1>
      <p>
        {inReview ? <Tag tone="info">Waiting for review</Tag> : <Tag tone="warning">Being edited</Tag>}{" "}
        {draft.submittedByName ? `Submitted by ${draft.submittedByName}` : "Not submitted yet"}
        {draft.submittedAt ? `, ${formatDateTime(new Date(draft.submittedAt))}` : ""}.
      </p>
      {draft.changeNote ? (
        <dl className="summary-list">
          <div className="summary-list__row">
            <dt>Kind of change</dt>
            <dd>{draft.materialChange ? "Material change: learners who completed an earlier version will be told what changed" : "Correction: prompts nobody"}</dd>
          </div>
          <div className="summary-list__row">
            <dt>Change note</dt>
            <dd>{draft.changeNote}</dd>
          </div>
        </dl>
      ) : null}

      <h2>Changes against {page.module.currentVersion ? `version ${page.module.currentVersion}` : "nothing published yet"}</h2>
      {comparison.files.length === 0 && comparison.questions.length === 0 && !comparison.quizSettings ? <p>No changes.</p> : null}
      {comparison.files.map((f) => (
        <section key={f.file} aria-labelledby={`diff-${f.file}`}>
          <h3 id={`diff-${f.file}`}>
            {f.file} ({STATUS[f.status]})
          </h3>
          {f.rendered ? (
            <>
              <h4>As a learner reads it</h4>
              <DiffView parts={f.rendered} label={`${f.file}, rendered text`} />
            </>
          ) : null}
          <details>
            <summary>Source</summary>
            <DiffView parts={f.source} label={`${f.file}, source`} />
          </details>
        </section>
      ))}
      {comparison.questions.length > 0 || comparison.quizSettings ? <h3>Question bank</h3> : null}
      {comparison.quizSettings ? <DiffView parts={comparison.quizSettings} label="Quiz settings" /> : null}
      {comparison.questions.map((q) => (
        <section key={q.id} aria-labelledby={`question-${q.id}`}>
          <h4 id={`question-${q.id}`}>
            Question {q.id} ({STATUS[q.status]})
          </h4>
          <DiffView parts={q.lines} label={`Question ${q.id}`} />
        </section>
      ))}

      <h2>Conversation</h2>
      {page.comments.length === 0 ? <p>No comments yet.</p> : null}
      <ol className="comment-list">
        {page.comments.map((c) => (
          <li key={c.id}>
            <p>
              <strong>{c.authorName}</strong> {KIND[c.kind] ?? c.kind}, {formatDateTime(new Date(c.at))}
            </p>
            <p>{c.body}</p>
          </li>
        ))}
      </ol>
      <Form method="post" noValidate className="two-thirds">
        <input type="hidden" name="draftId" value={draft.id} />
        <input type="hidden" name="revision" value={draft.revision} />
        <TextAreaField id="review-body" name="body" label="Comment, or reasons for returning" rows={4} errors={errors.body ? [errors.body] : undefined} />
        <div className="button-group">
          <Button name="intent" value="comment" variant="secondary">
            Add comment
          </Button>
          {inReview ? (
            <Button name="intent" value="return" variant="warning">
              Return to the author
            </Button>
          ) : null}
        </div>
      </Form>
      {inReview ? (
        page.isSubmitter ? (
          <p>You submitted this draft, so another author or an administrator must approve it.</p>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="approve" />
            <input type="hidden" name="draftId" value={draft.id} />
            <input type="hidden" name="revision" value={draft.revision} />
            <Button>Approve and publish version {(page.module.currentVersion ?? 0) + 1}</Button>
          </Form>
        )
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

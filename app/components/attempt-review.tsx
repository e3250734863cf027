import type { AttemptReviewView, ReviewQuestion } from "#app/utils/views/attempt-review.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { FOUR_LABELS, type FourElement } from "#app/utils/offences.ts";
import { ButtonLink } from "./ui/button.tsx";
import { Tag } from "./ui/tag.tsx";
import { Breadcrumbs } from "./ui/breadcrumbs.tsx";

/** Module, Assessment, Attempt N: above an attempt being answered and above its result. */
export function AttemptBreadcrumbs({ view }: { view: { slug: string; moduleTitle: string; attemptNumber: number } }) {
  return (
    <Breadcrumbs
      trail={[
        { to: `/modules/${view.slug}`, label: view.moduleTitle },
        { to: `/modules/${view.slug}/quiz`, label: "Assessment" },
      ]}
      current={<>Attempt {view.attemptNumber}</>}
    />
  );
}

/** The result of a submitted attempt: score, pass or fail, and each question with the learner's answer, the right one and why. */
export function AttemptReview({ view, justSubmitted }: { view: AttemptReviewView; justSubmitted: boolean }) {
  return (
    <>
      <AttemptBreadcrumbs view={view} />
      <div className={`panel ${view.passed ? "panel--success" : "panel--fail"}`} role={justSubmitted ? "status" : undefined}>
        <h1 className="panel__title">{view.passed ? "You passed" : "You did not pass this time"}</h1>
        <p className="panel__score">
          You scored {view.score}% ({view.marks} of {view.maxMarks}). The pass mark is {view.passMark}%.
        </p>
        {view.four ? (
          <p>
            FOUR elements: right on {view.four.right} of {view.four.asked} scenario{view.four.asked === 1 ? "" : "s"} (scored
            separately).
          </p>
        ) : null}
      </div>
      <p className="secondary">Attempt {view.attemptNumber}, submitted {formatDateTime(view.submittedAt)}.</p>
      <div className="button-group">
        {view.moduleCompleted ? (
          <ButtonLink to="/certificates">See your certificate</ButtonLink>
        ) : view.passed ? (
          <ButtonLink to={`/modules/${view.slug}`}>Finish the remaining lessons</ButtonLink>
        ) : (
          <ButtonLink to={`/modules/${view.slug}/quiz`}>Back to the assessment</ButtonLink>
        )}
        <ButtonLink to={`/modules/${view.slug}`} variant="secondary">
          Module overview
        </ButtonLink>
      </div>

      {view.nextAttempt ? <NextAttempt mix={view.nextAttempt} /> : null}

      <h2>Your answers</h2>
      {view.questions.some((q) => !q.revealed) ? (
        <p className="two-thirds">
          For a question you answered wrongly, the review shows the answer you gave and the legal tests that decide it, not the right answer: you may be
          asked it again. You see every answer once you pass.
        </p>
      ) : null}
      <ol className="review-list">
        {view.questions.map((q, index) => (
          <li key={q.id} className="review-item">
            <h3 className="review-item__heading">
              Question {index + 1}: {q.correct ? <Tag tone="success">Right</Tag> : <Tag tone="danger">Wrong</Tag>}
            </h3>
            {/* Right answers fold away, so the ones to learn from stand out; a wrong one is open. */}
            {q.correct ? (
              <details className="review-item__details">
                <summary>
                  Show the question, your answer and why<span className="visually-hidden"> (question {index + 1})</span>
                </summary>
                <ReviewBody q={q} />
              </details>
            ) : (
              <ReviewBody q={q} />
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

/** What a retake holds, said before it is started. */
export function NextAttempt({ mix }: { mix: { total: number; fresh: number; retry: number; known: number } }) {
  const parts = [
    mix.fresh ? `${mix.fresh} you have not been asked before` : null,
    mix.retry ? `${mix.retry} you answered wrongly before (the right answer was not shown)` : null,
    mix.known ? `${mix.known} you have answered right before` : null,
  ].filter((p): p is string => p !== null);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : (parts[0] ?? "");
  return (
    <p className="two-thirds" id="next-attempt">
      <strong>Your next attempt:</strong> {mix.total} question{mix.total === 1 ? "" : "s"}: {list}. Questions you have not been asked come first; the order
      is new each time.
    </p>
  );
}

function ReviewBody({ q }: { q: ReviewQuestion }) {
  return (
    <>
      <p className="review-item__text">{q.text}</p>
      <ul className="review-options">
        {q.options.map((o) => (
          <li key={o.value} className={`review-option${o.right ? " review-option--right" : ""}${o.chosen && !o.right && !q.correct ? " review-option--wrong" : ""}`}>
            <span className="review-option__label">{o.label}</span>
            {o.chosen ? <span className="review-option__mark"> (your answer{q.correct ? "" : ", not right"})</span> : null}
            {o.right ? <span className="review-option__mark"> (right answer)</span> : null}
            {o.feedback && (o.chosen || o.right) ? <p className="review-option__feedback">{o.feedback}</p> : null}
          </li>
        ))}
      </ul>
      {q.four ? (
        <div className="review-four">
          <p>
            <strong>FOUR elements</strong> {q.fourCorrect ? <Tag tone="success">Right</Tag> : <Tag tone="warning">Not quite</Tag>}
          </p>
          <ul>
            {q.four.map((f) => (
              <li key={f.element}>
                {FOUR_LABELS[f.element as FourElement] ?? f.element}: {f.present ? "present" : "not present"}; you {f.ticked ? "ticked it" : "did not tick it"}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {q.explanation ? (
        <div className="review-item__explanation">
          <p>
            <strong>Why: </strong>
            {q.explanation}
          </p>
        </div>
      ) : q.legalTests ? (
        <div className="review-item__explanation">
          <p>
            <strong>The tests that decide it:</strong>
          </p>
          <ul>
            {q.legalTests.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="review-item__explanation">
          <p>Look again at the module&rsquo;s lessons: the right answer is shown once you pass.</p>
        </div>
      )}
    </>
  );
}

import { Link } from "@remix-run/react";
import type { AttemptReviewView } from "#app/models/quiz-attempt.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { FOUR_LABELS, type FourElement } from "#app/utils/offences.ts";
import { ButtonLink } from "./ui/button.tsx";
import { Tag } from "./ui/tag.tsx";

/** The result of a submitted attempt: score, pass or fail, and each question with the learner's answer, the right one and why. */
export function AttemptReview({ view, justSubmitted }: { view: AttemptReviewView; justSubmitted: boolean }) {
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <Link to={`/modules/${view.slug}`}>{view.moduleTitle}</Link>
          </li>
          <li>
            <Link to={`/modules/${view.slug}/quiz`}>Assessment</Link>
          </li>
          <li aria-current="page">Attempt {view.attemptNumber}</li>
        </ol>
      </nav>
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

      <h2>Your answers</h2>
      <ol className="review-list">
        {view.questions.map((q, index) => (
          <li key={q.id} className="review-item">
            <h3 className="review-item__heading">
              Question {index + 1}: {q.correct ? <Tag tone="success">Right</Tag> : <Tag tone="danger">Wrong</Tag>}
            </h3>
            <p className="review-item__text">{q.text}</p>
            <ul className="review-options">
              {q.options.map((o) => (
                <li key={o.value} className={`review-option${o.right ? " review-option--right" : ""}${o.chosen && !o.right ? " review-option--wrong" : ""}`}>
                  <span className="review-option__label">{o.label}</span>
                  {o.chosen ? <span className="review-option__mark"> (your answer)</span> : null}
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
                      {FOUR_LABELS[f.element as FourElement] ?? f.element}: {f.present ? "present" : "not present"}; you{" "}
                      {f.ticked ? "ticked it" : "did not tick it"}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <div className="review-item__explanation">
              <p>
                <strong>Why: </strong>
                {q.explanation}
              </p>
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

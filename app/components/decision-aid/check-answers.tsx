import { ButtonLink } from "#app/components/ui/button.tsx";
import { AnswerSummary, type AnswerRow } from "./answer-summary.tsx";
import { BackLink } from "./navigation.tsx";

/** GOV.UK "Check your answers": every answer with a "Change" link, then the result. */
export function AidCheckAnswers({ rows, backHref, resultHref }: { rows: AnswerRow[]; backHref: string; resultHref: string }) {
  return (
    <>
      <BackLink to={backHref} />
      <div className="aid-wide">
        <span className="caption">Is it stalking?</span>
        <h1 className="aid-heading" tabIndex={-1}>
          Check your answers
        </h1>
        <AnswerSummary rows={rows} />
        <h2>Now see the result</h2>
        <p>The result shows the likely offence, why, what to record and the safeguarding steps to take.</p>
        <ButtonLink to={resultHref}>See the result</ButtonLink>
      </div>
    </>
  );
}

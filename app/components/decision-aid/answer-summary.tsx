import { Link } from "@remix-run/react";

export type AnswerRow = {
  id: string;
  /** A short name for the question. */
  label: string;
  /** The chosen options' labels. */
  answer: string[];
  /** "Change" link: back to the question, then back to "Check your answers". */
  changeHref?: string;
};

/** GOV.UK summary list of the answers given, with an optional "Change" link per row. */
export function AnswerSummary({ rows }: { rows: AnswerRow[] }) {
  return (
    <dl className="aid-summary">
      {rows.map((row) => (
        <div className="aid-summary__row" key={row.id}>
          <dt className="aid-summary__key">{row.label}</dt>
          <dd className="aid-summary__value">
            {row.answer.length === 1 ? (
              row.answer[0]
            ) : (
              <ul className="aid-summary__list">
                {row.answer.map((answer) => (
                  <li key={answer}>{answer}</li>
                ))}
              </ul>
            )}
          </dd>
          {row.changeHref ? (
            <dd className="aid-summary__actions">
              <Link to={row.changeHref}>
                Change<span className="visually-hidden"> {row.label.toLowerCase()}</span>
              </Link>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

import { percent, type ConfusionCell, type ConfusionMatrix, type ConfusionRow } from "#app/utils/confusion.ts";
import { OFFENCE_LABELS } from "#app/utils/offences.ts";
import { plural } from "#app/utils/format.ts";

/**
 * A confusion matrix as a table (right answer by row, answer given by
 * column), the commonest confusions in words, and what was withheld and why.
 * Plain server-rendered HTML: works without JavaScript. The correct cells are
 * marked in words, not only by their shading.
 */
export function ConfusionMatrixReport({
  matrix,
  caption,
  id = "confusion-matrix",
  headingLevel = 2,
}: {
  matrix: ConfusionMatrix;
  caption: string;
  id?: string;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const short = (offence: keyof typeof OFFENCE_LABELS) => OFFENCE_LABELS[offence].short;
  const captionId = `${id}-caption`;
  const noteId = `${id}-note`;
  const withheld = matrix.suppressedCells > 0 || matrix.suppressedRows > 0;

  if (matrix.rows.length === 0) {
    return (
      <div className="confusion" id={id}>
        <p>
          <strong>{caption}</strong>: no answers to scenario questions yet.
        </p>
      </div>
    );
  }

  return (
    <div className="confusion" id={id}>
      {/* Focusable so keyboard users can scroll the table sideways on a narrow screen. */}
      <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="confusion-table" aria-describedby={noteId}>
          <caption id={captionId}>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Right answer</th>
              <th scope="col" className="numeric">
                Answers
              </th>
              {matrix.offences.map((offence) => (
                <th scope="col" key={offence} className="numeric confusion-table__offence">
                  <span className="visually-hidden">Answered as </span>
                  {short(offence)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => (
              <MatrixRow key={row.expected} row={row} columns={matrix.offences.length} threshold={matrix.threshold} name={short(row.expected)} />
            ))}
          </tbody>
        </table>
      </div>

      <Heading>Most common confusions</Heading>
      {matrix.confusions.length > 0 ? (
        <ol className="confusion__list">
          {matrix.confusions.map((c) => (
            <li key={`${c.expected}-${c.chosen}`}>{c.text}</li>
          ))}
        </ol>
      ) : (
        <p>None to show: no wrong answer was given {matrix.threshold} or more times for the same right answer.</p>
      )}

      <Heading>About these figures</Heading>
      <div id={noteId} className="confusion__note">
        <p>
          Each row is a scenario’s right answer; each column is the answer learners gave. Percentages are of the row’s answers, rounded, so a row may not
          add up to 100%. Cells on the diagonal, marked “Correct”, are right answers.
          {matrix.totalAnswers !== null ? ` ${plural(matrix.totalAnswers, "answer")} in all.` : ""}
        </p>
        <p>
          To protect individual learners, no figure is shown that rests on fewer than {matrix.threshold} answers. A cell that says “fewer than{" "}
          {matrix.threshold}” had between 0 and {matrix.threshold - 1}; a row with fewer than {matrix.threshold} answers in all has no figures.
          Where a hidden figure could still be worked out from the row’s total, one more figure in that row is hidden as well and says “withheld”.
          {withheld
            ? ` Here ${[
                matrix.suppressedRows > 0 ? plural(matrix.suppressedRows, "row") : null,
                matrix.suppressedCells > 0 ? plural(matrix.suppressedCells, "cell") : null,
              ]
                .filter(Boolean)
                .join(" and ")} ${matrix.suppressedRows + matrix.suppressedCells === 1 ? "is" : "are"} hidden.`
            : ""}
          {matrix.totalAnswers === null ? " The total of all answers is not given, as it would reveal a hidden row’s total." : ""}
        </p>
      </div>
    </div>
  );
}

function MatrixRow({ row, columns, threshold, name }: { row: ConfusionRow; columns: number; threshold: number; name: string }) {
  if (row.suppressed) {
    const label = row.reason === "fewer" ? `fewer than ${threshold}` : "withheld";
    return (
      <tr className="confusion-table__row--suppressed">
        <th scope="row">{name}</th>
        <td className="numeric">
          <span className="confusion__suppressed">{label}</span>
        </td>
        <td colSpan={columns}>
          <span className="confusion__suppressed">
            {row.reason === "fewer" ? `Not shown: fewer than ${threshold} answers` : "Not shown: the figures could be worked out from one another"}
          </span>
        </td>
      </tr>
    );
  }
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="numeric">{row.total.toLocaleString("en-GB")}</td>
      {row.cells.map((cell) => (
        <MatrixCell key={cell.chosen} cell={cell} threshold={threshold} />
      ))}
    </tr>
  );
}

function MatrixCell({ cell, threshold }: { cell: ConfusionCell; threshold: number }) {
  const correct = cell.correct ? (
    <span className="confusion__correct">
      <span aria-hidden="true">✓ </span>Correct
    </span>
  ) : null;
  return (
    <td className={`numeric confusion-table__cell${cell.correct ? " confusion-table__cell--correct" : ""}`}>
      {correct}
      {cell.suppressed ? (
        <span className="confusion__suppressed">{cell.reason === "fewer" ? `fewer than ${threshold}` : "withheld"}</span>
      ) : (
        <>
          <span className="confusion__share">{percent(cell.share)}</span>{" "}
          <span className="confusion__count">
            ({cell.count.toLocaleString("en-GB")}
            <span className="visually-hidden"> answers</span>)
          </span>
        </>
      )}
    </td>
  );
}

import { isOffence, OFFENCE_LABELS, OFFENCES, type Offence } from "./offences.ts";

/**
 * The confusion matrix of classify answers: for each right answer (a row),
 * how many answers chose each offence (a column). Pure: the model counts,
 * this decides what may be shown.
 *
 * Suppression (small numbers could identify a person in a small force):
 * 1. A row whose total is under SUPPRESSION_THRESHOLD is withheld whole: no
 *    total, no cells ("fewer than 10").
 * 2. In a shown row, every cell with fewer than SUPPRESSION_THRESHOLD answers
 *    (zero included, so a zero cannot be told from a small number) is
 *    withheld: neither its count nor its share ("fewer than 10").
 * 3. Complementary suppression, so those cells cannot be worked out from the
 *    row total by subtraction. Each is 0–9 and together they make up the rest
 *    of the total, so they can be pinned down exactly when one cell is
 *    withheld, or when the rest is 9 × the number withheld (each must be 9).
 *    In those cases the smallest shown cell of the row is withheld too, and
 *    labelled "withheld", not "fewer than 10", which would be untrue: it has
 *    10 or more. A reader who knows that learns only that the small cells sum
 *    to at most (rest − 10), which pins none of them down (unless that is 0,
 *    and a zero identifies nobody). If no shown cell is left to withhold, the
 *    whole row is withheld ("withheld").
 * 4. There are no column totals (they would allow the same subtraction down a
 *    column). The grand total is given only when it cannot reveal the total of
 *    a withheld row the same way: a row that appears at all has 1–9 answers,
 *    so one withheld row, or withheld rows all at 1 or all at 9, hide it.
 *
 * Answer keys outside the offence vocabulary are ignored (the vocabulary only
 * grows, so none should exist).
 */
export const SUPPRESSION_THRESHOLD = 10;

export type ConfusionCount = { expected: string; chosen: string; n: number };

/** Why a figure is not shown: it is under the threshold, or it is withheld so that another cannot be worked out. */
export type SuppressionReason = "fewer" | "complement";

export type ConfusionCell =
  | { chosen: Offence; correct: boolean; suppressed: true; reason: SuppressionReason }
  | { chosen: Offence; correct: boolean; suppressed: false; count: number; share: number };

export type ConfusionRow =
  | { expected: Offence; suppressed: true; reason: SuppressionReason; total: null; cells: null }
  | { expected: Offence; suppressed: false; total: number; cells: ConfusionCell[] };

export type Confusion = {
  expected: Offence;
  chosen: Offence;
  /** 0–1, of the row's answers. */
  share: number;
  /** The row's total answers. */
  of: number;
  /** "Stalking (s.2A) answered as harassment (s.2): 38% (of 412 answers)" */
  text: string;
};

export type ConfusionMatrix = {
  threshold: number;
  /** The columns: the whole vocabulary, always, so a column's presence tells nothing. */
  offences: Offence[];
  /** Offences that were the right answer at least once, in vocabulary order. */
  rows: ConfusionRow[];
  /** All answers counted, or null where showing it would reveal a withheld row's total. */
  totalAnswers: number | null;
  suppressedRows: number;
  suppressedCells: number;
  /** The three commonest confusions among the cells shown, largest share first. */
  confusions: Confusion[];
};

export const percent = (share: number) => `${Math.round(share * 100)}%`;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function offenceName(offence: Offence): string {
  return OFFENCE_LABELS[offence].short;
}

export function confusionText(expected: Offence, chosen: Offence, share: number, of: number): string {
  return `${offenceName(expected)} answered as ${lowerFirst(offenceName(chosen))}: ${percent(share)} (of ${of.toLocaleString("en-GB")} answers)`;
}

/**
 * Whether `withheld` hidden numbers, each known to lie in [low, high], can be
 * worked out exactly from their sum `rest`: when there is one, or when the
 * sum forces every one to its bound. (All at zero is left: a zero identifies nobody.)
 */
function recoverable(withheld: number, rest: number, low: number, high: number): boolean {
  if (withheld === 0) return false;
  return withheld === 1 || rest === high * withheld || (low > 0 && rest === low * withheld);
}

export function buildConfusionMatrix(counts: readonly ConfusionCount[], threshold: number = SUPPRESSION_THRESHOLD): ConfusionMatrix {
  const table = new Map<Offence, Map<Offence, number>>();
  for (const { expected, chosen, n } of counts) {
    if (!isOffence(expected) || !isOffence(chosen) || !(n > 0)) continue;
    const row = table.get(expected) ?? new Map<Offence, number>();
    row.set(chosen, (row.get(chosen) ?? 0) + n);
    table.set(expected, row);
  }

  let suppressedCells = 0;
  const rows: ConfusionRow[] = [];
  const rowTotals: { total: number; withheld: SuppressionReason | null }[] = [];
  for (const expected of OFFENCES) {
    const found = table.get(expected);
    if (!found) continue;
    const counted = OFFENCES.map((chosen) => ({ chosen, n: found.get(chosen) ?? 0 }));
    const total = counted.reduce((sum, c) => sum + c.n, 0);
    const hidden = new Map<Offence, SuppressionReason>(counted.filter((c) => c.n < threshold).map((c) => [c.chosen, "fewer"]));
    const rest = counted.filter((c) => hidden.has(c.chosen)).reduce((sum, c) => sum + c.n, 0);
    let withheldRow: SuppressionReason | null = total < threshold ? "fewer" : null;
    if (!withheldRow && recoverable(hidden.size, rest, 0, threshold - 1)) {
      const smallest = counted.filter((c) => !hidden.has(c.chosen)).sort((a, b) => a.n - b.n || OFFENCES.indexOf(a.chosen) - OFFENCES.indexOf(b.chosen))[0];
      if (smallest) hidden.set(smallest.chosen, "complement");
      else withheldRow = "complement";
    }
    rowTotals.push({ total, withheld: withheldRow });
    if (withheldRow) {
      rows.push({ expected, suppressed: true, reason: withheldRow, total: null, cells: null });
      continue;
    }
    suppressedCells += hidden.size;
    rows.push({
      expected,
      suppressed: false,
      total,
      cells: counted.map(({ chosen, n }) => {
        const reason = hidden.get(chosen);
        return reason
          ? { chosen, correct: chosen === expected, suppressed: true as const, reason }
          : { chosen, correct: chosen === expected, suppressed: false as const, count: n, share: n / total };
      }),
    });
  }

  const withheldTotals = rowTotals.filter((r) => r.withheld);
  const allAnswers = rowTotals.reduce((sum, r) => sum + r.total, 0);
  // A row withheld for want of a cell to withhold alongside it has 10 or more answers, outside
  // the 1–9 the reasoning relies on: give no grand total then.
  const totalAnswers =
    withheldTotals.some((r) => r.withheld === "complement") ||
    recoverable(
      withheldTotals.length,
      withheldTotals.reduce((sum, r) => sum + r.total, 0),
      1,
      threshold - 1,
    )
      ? null
      : allAnswers;

  const confusions = rows
    .flatMap((row) =>
      row.suppressed
        ? []
        : row.cells.flatMap((cell) =>
            cell.suppressed || cell.correct ? [] : [{ expected: row.expected, chosen: cell.chosen, share: cell.share, of: row.total, count: cell.count }],
          ),
    )
    .sort((a, b) => b.share - a.share || b.count - a.count || OFFENCES.indexOf(a.expected) - OFFENCES.indexOf(b.expected))
    .slice(0, 3)
    .map(({ expected, chosen, share, of }) => ({ expected, chosen, share, of, text: confusionText(expected, chosen, share, of) }));

  return {
    threshold,
    offences: [...OFFENCES],
    rows,
    totalAnswers,
    suppressedRows: withheldTotals.length,
    suppressedCells,
    confusions,
  };
}

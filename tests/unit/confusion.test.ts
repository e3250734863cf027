import { expect, test } from "vitest";
import { buildConfusionMatrix, SUPPRESSION_THRESHOLD, type ConfusionCount, type ConfusionMatrix } from "#app/utils/confusion.ts";
import { OFFENCES } from "#app/utils/offences.ts";

const row = (matrix: ConfusionMatrix, expected: string) => matrix.rows.find((r) => r.expected === expected);
const cell = (matrix: ConfusionMatrix, expected: string, chosen: string) => {
  const r = row(matrix, expected);
  return r && !r.suppressed ? r.cells.find((c) => c.chosen === chosen) : undefined;
};

test("the threshold is 10", () => {
  expect(SUPPRESSION_THRESHOLD).toBe(10);
});

test("each row has its total and every cell's share of it; the diagonal is marked correct", () => {
  const matrix = buildConfusionMatrix([
    { expected: "stalking-s2a", chosen: "stalking-s2a", n: 60 },
    { expected: "stalking-s2a", chosen: "harassment-s2", n: 30 },
    { expected: "stalking-s2a", chosen: "not-a-crime", n: 10 },
  ]);
  expect(matrix.offences).toEqual([...OFFENCES]);
  expect(matrix.rows).toHaveLength(1);
  const stalking = row(matrix, "stalking-s2a");
  expect(stalking).toMatchObject({ suppressed: false, total: 100 });
  expect(cell(matrix, "stalking-s2a", "stalking-s2a")).toEqual({ chosen: "stalking-s2a", correct: true, suppressed: false, count: 60, share: 0.6 });
  expect(cell(matrix, "stalking-s2a", "harassment-s2")).toMatchObject({ correct: false, count: 30, share: 0.3 });
  // Five empty columns: zeros are withheld like any small number.
  expect(cell(matrix, "stalking-s2a", "malicious-communications")).toEqual({ chosen: "malicious-communications", correct: false, suppressed: true, reason: "fewer" });
  expect(matrix.totalAnswers).toBe(100);
});

test("a cell under 10 shows neither count nor share; a row under 10 shows nothing at all", () => {
  const matrix = buildConfusionMatrix([
    { expected: "stalking-s2a", chosen: "stalking-s2a", n: 40 },
    { expected: "stalking-s2a", chosen: "harassment-s2", n: 9 },
    { expected: "stalking-s2a", chosen: "not-a-crime", n: 3 },
    { expected: "harassment-s2", chosen: "harassment-s2", n: 5 },
    { expected: "harassment-s2", chosen: "stalking-s2a", n: 4 },
  ]);
  const small = cell(matrix, "stalking-s2a", "harassment-s2");
  expect(small).toEqual({ chosen: "harassment-s2", correct: false, suppressed: true, reason: "fewer" });
  expect(JSON.stringify(small)).not.toMatch(/9|share|count/);
  expect(row(matrix, "harassment-s2")).toEqual({ expected: "harassment-s2", suppressed: true, reason: "fewer", total: null, cells: null });
  expect(matrix.suppressedRows).toBe(1);
  // One row withheld: the grand total would give its total away.
  expect(matrix.totalAnswers).toBeNull();
  expect(JSON.stringify(matrix)).not.toContain("61");
});

test("when one cell alone is withheld, the next smallest is withheld too, so subtraction from the total recovers nothing", () => {
  // Every column has 10 or more except one: 7 of the 8 offences are shown.
  const counts: ConfusionCount[] = OFFENCES.map((chosen, i) => ({ expected: "stalking-s2a", chosen, n: chosen === "not-a-crime" ? 2 : 20 + i }));
  const matrix = buildConfusionMatrix(counts);
  expect(cell(matrix, "stalking-s2a", "not-a-crime")).toMatchObject({ suppressed: true, reason: "fewer" });
  // The smallest shown cell (20, the first column) is withheld as well, and not called "fewer than 10".
  expect(cell(matrix, "stalking-s2a", "stalking-s2a")).toMatchObject({ suppressed: true, reason: "complement" });
  expect(matrix.suppressedCells).toBe(2);
  const stalking = row(matrix, "stalking-s2a");
  if (!stalking || stalking.suppressed) throw new Error("row withheld");
  const shown = stalking.cells.reduce((sum, c) => sum + (c.suppressed ? 0 : c.count), 0);
  // What a reader can work out: the two withheld cells together, not either one.
  expect(stalking.total - shown).toBe(22);
});

test("withheld cells that must all be 9 are protected too", () => {
  const counts: ConfusionCount[] = [
    { expected: "harassment-s2", chosen: "harassment-s2", n: 50 },
    { expected: "harassment-s2", chosen: "stalking-s2a", n: 30 },
    ...OFFENCES.filter((o) => o !== "harassment-s2" && o !== "stalking-s2a").map((chosen) => ({ expected: "harassment-s2", chosen, n: 9 })),
  ];
  const matrix = buildConfusionMatrix(counts);
  expect(cell(matrix, "harassment-s2", "stalking-s2a")).toMatchObject({ suppressed: true, reason: "complement" });
  expect(cell(matrix, "harassment-s2", "harassment-s2")).toMatchObject({ suppressed: false, count: 50 });
});

test("a row whose every cell is 9 cannot be shown at all", () => {
  const matrix = buildConfusionMatrix(OFFENCES.map((chosen) => ({ expected: "harassment-s4", chosen, n: 9 })));
  expect(row(matrix, "harassment-s4")).toMatchObject({ suppressed: true, reason: "complement", total: null });
  expect(matrix.totalAnswers).toBeNull();
});

/**
 * The adversary: for every withheld cell, the values it could take given the
 * row total, the shown cells, and what each label says (fewer than 10: 0–9;
 * withheld to protect another: 10 or more). A small number must never be
 * pinned to one value (a zero may be: it identifies nobody).
 */
function pinnedSmallCells(counts: ConfusionCount[], matrix: ConfusionMatrix): string[] {
  const truth = new Map(counts.map((c) => [`${c.expected}>${c.chosen}`, c.n]));
  const pinned: string[] = [];
  for (const r of matrix.rows) {
    if (r.suppressed) continue;
    const hidden = r.cells.filter((c) => c.suppressed);
    const rest = r.total - r.cells.reduce((sum, c) => sum + (c.suppressed ? 0 : c.count), 0);
    hidden.forEach((c, i) => {
      if (!c.suppressed || c.reason !== "fewer") return;
      const others = hidden.filter((_, j) => j !== i);
      const low = others.reduce((sum, o) => sum + (o.suppressed && o.reason === "complement" ? 10 : 0), 0);
      const high = others.some((o) => o.suppressed && o.reason === "complement") ? Infinity : 9 * others.length;
      const possible = Array.from({ length: 10 }, (_, v) => v).filter((v) => rest - v >= low && rest - v <= high);
      const actual = truth.get(`${r.expected}>${c.chosen}`) ?? 0;
      expect(possible).toContain(actual);
      if (possible.length === 1 && actual > 0) pinned.push(`${r.expected}>${c.chosen}=${actual}`);
    });
  }
  return pinned;
}

test("in many random matrices no small number can be worked out from what is shown", () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 2000; run++) {
    const counts: ConfusionCount[] = [];
    for (const expected of OFFENCES.slice(0, 1 + Math.floor(random() * 4))) {
      // Each row its own mix, so rows with a single small cell, or small cells all at 9, turn up often.
      const big = random();
      const nine = random() < 0.3;
      for (const chosen of OFFENCES) {
        const r = random();
        const n = r < big ? 10 + Math.floor(random() * 40) : nine ? 9 : Math.floor(random() * 10);
        if (n > 0) counts.push({ expected, chosen, n });
      }
    }
    const matrix = buildConfusionMatrix(counts);
    expect(pinnedSmallCells(counts, matrix)).toEqual([]);
    for (const r of matrix.rows) if (!r.suppressed) for (const c of r.cells) if (!c.suppressed) expect(c.count).toBeGreaterThanOrEqual(10);
  }
});

test("the grand total is withheld when it would give away a withheld row's total", () => {
  const big = [{ expected: "stalking-s2a", chosen: "stalking-s2a", n: 50 }];
  expect(buildConfusionMatrix([...big, { expected: "harassment-s2", chosen: "harassment-s2", n: 3 }]).totalAnswers).toBeNull();
  // Two withheld rows of 3 and 5: the reader learns only that they sum to 8.
  expect(
    buildConfusionMatrix([...big, { expected: "harassment-s2", chosen: "harassment-s2", n: 3 }, { expected: "harassment-s4", chosen: "harassment-s4", n: 5 }]).totalAnswers,
  ).toBe(58);
  // Two withheld rows of 1 each (every row shown has at least one answer): pinned, so withheld.
  expect(
    buildConfusionMatrix([...big, { expected: "harassment-s2", chosen: "harassment-s2", n: 1 }, { expected: "harassment-s4", chosen: "harassment-s4", n: 1 }]).totalAnswers,
  ).toBeNull();
});

test("the commonest confusions are told in words, from shown cells off the diagonal, largest share first, three at most", () => {
  const matrix = buildConfusionMatrix([
    { expected: "stalking-s2a", chosen: "stalking-s2a", n: 200 },
    { expected: "stalking-s2a", chosen: "harassment-s2", n: 156 },
    { expected: "stalking-s2a", chosen: "not-a-crime", n: 56 },
    { expected: "malicious-communications", chosen: "malicious-communications", n: 20 },
    { expected: "malicious-communications", chosen: "harassment-s2", n: 20 },
    { expected: "malicious-communications", chosen: "threatening-communications", n: 10 },
    // 50% but withheld (under 10): never in the list.
    { expected: "harassment-s4", chosen: "harassment-s4", n: 10 },
    { expected: "harassment-s4", chosen: "stalking-s4a", n: 6 },
    { expected: "harassment-s4", chosen: "not-a-crime", n: 4 },
  ]);
  expect(matrix.confusions.map((c) => c.text)).toEqual([
    "Malicious communications answered as harassment (s.2): 40% (of 50 answers)",
    "Stalking (s.2A) answered as harassment (s.2): 38% (of 412 answers)",
    "Malicious communications answered as threatening communications (Online Safety Act s.181): 20% (of 50 answers)",
  ]);
  expect(matrix.confusions[0]).toMatchObject({ expected: "malicious-communications", chosen: "harassment-s2", share: 0.4, of: 50 });
});

test("a correct answer is never a confusion, and nothing under the threshold is counted", () => {
  const matrix = buildConfusionMatrix([
    { expected: "stalking-s4a", chosen: "stalking-s4a", n: 90 },
    { expected: "stalking-s4a", chosen: "stalking-s2a", n: 9 },
  ]);
  expect(matrix.confusions).toEqual([]);
});

test("keys outside the offence vocabulary, and empty counts, are ignored", () => {
  const matrix = buildConfusionMatrix([
    { expected: "stalking-s2a", chosen: "", n: 30 },
    { expected: "made-up", chosen: "stalking-s2a", n: 30 },
    { expected: "stalking-s2a", chosen: "stalking-s2a", n: 0 },
  ]);
  expect(matrix.rows).toEqual([]);
  expect(matrix.totalAnswers).toBe(0);
  expect(matrix.confusions).toEqual([]);
});

test("the same pair counted twice (for example, two module versions) is added up", () => {
  const matrix = buildConfusionMatrix([
    { expected: "stalking-s2a", chosen: "stalking-s2a", n: 6 },
    { expected: "stalking-s2a", chosen: "stalking-s2a", n: 6 },
  ]);
  expect(row(matrix, "stalking-s2a")).toMatchObject({ suppressed: false, total: 12 });
});

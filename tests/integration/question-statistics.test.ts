import { expect, test } from "vitest";
import { moduleQuestionStatistics } from "#app/models/reporting/question-statistics.server.ts";
import { loader as moduleLoader } from "#app/routes/studio.statistics.$slug.tsx";
import { loader as indexLoader } from "#app/routes/studio.statistics._index.tsx";
import { questionFigures } from "#app/utils/question-statistics.ts";
import type { StoredResponse } from "#db/schema/index.ts";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { seedGradedAttempts } from "#tests/statistics-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

/**
 * The hand-computed fixture (docs/decisions/030). Twelve submitted attempts
 * on sample-basics version 1, one mark per question; Q2 is drawn by the
 * first nine only. 1 = right, 0 = wrong:
 *
 *   attempt    1 2 3 4 5 6 7 8 9 10 11 12
 *   Q1 stalk   1 1 1 1 1 1 0 0 0 0  0  0    facility 6/12 = 0.50
 *   Q2 malic   1 1 1 1 1 0 1 0 0 -  -  -    drawn 9: withheld
 *   Q3 single  1 0 0 0 0 0 0 0 0 0  0  0    facility 1/12 = 0.083: very hard
 *   Q4 multi   0 1 0 1 1 0 1 0 1 0  1  0    facility 6/12 = 0.50
 *
 * Discrimination: Pearson's r between a question's 0/1 and the attempt's
 * score on its other questions as a share (rest marks / rest max). Q1's rest
 * scores: right 2/3 2/3 1/3 2/3 2/3 0 (mean 0.5), wrong 2/3 0 1/3 0 1/2 0
 * (mean 0.25); all twelve: mean 0.375, population sd 0.2897; so
 * r = (0.5 − 0.25) × √(0.5 × 0.5) / 0.2897 = 0.4315.
 * Q3: r = 0.1247 (one right, in a strong attempt). Q4: r = 0.0803 < 0.1: flagged.
 */
const right = (response: StoredResponse) => ({ correct: true, response });
const wrong = (response: StoredResponse) => ({ correct: false, response });
const Q1 = "fixture-ex-partner-following";
const Q2 = "fixture-single-offensive-message";
const Q3 = "fixture-single-choice";
const Q4 = "fixture-multiple-choice";
const q1 = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const q2 = [1, 1, 1, 1, 1, 0, 1, 0, 0];
const q3 = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const q4 = [0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0];
// Wrong answers: Q1 harassment-s2 four times, not-a-crime twice; Q3 "b" three times, "c" eight times;
// Q4's wrong answers all tick the right "following", four of them also the wrong "lawful".
const q1Wrong = ["harassment-s2", "harassment-s2", "not-a-crime", "harassment-s2", "not-a-crime", "harassment-s2"];
const q3Wrong = ["b", "b", "b", "c", "c", "c", "c", "c", "c", "c", "c"];
const q4Wrong = [["following", "lawful"], ["following", "lawful"], ["following"], ["following", "lawful"], ["following"], ["following", "lawful"]];
const learner = await createUser();
let w1 = 0;
let w3 = 0;
let w4 = 0;
await seedGradedAttempts({
  userId: learner.id,
  slug: "sample-basics",
  attempts: q1.map((_, i) => ({
    answers: {
      [Q1]: q1[i] ? right({ choice: "stalking-s2a" }) : wrong({ choice: q1Wrong[w1++] }),
      ...(i < q2.length ? { [Q2]: q2[i] ? right({ choice: "malicious-communications" }) : wrong({ choice: "not-a-crime" }) } : {}),
      [Q3]: q3[i] ? right({ choice: "a" }) : wrong({ choice: q3Wrong[w3++] }),
      [Q4]: q4[i] ? right({ choices: ["following", "monitoring"] }) : wrong({ choices: q4Wrong[w4++] }),
    },
  })),
  // An attempt still open: counted nowhere.
  open: { [Q1]: { choice: "not-a-crime" }, [Q3]: { choice: "b" } },
});

test("per question and version: times drawn, facility, discrimination, most chosen wrong answer and flags, as worked by hand", async () => {
  const stats = await moduleQuestionStatistics("sample-basics");
  expect(stats?.versions).toHaveLength(1);
  const [v1] = stats!.versions;
  expect(v1).toMatchObject({ version: 1, attempts: 12 });
  const byId = Object.fromEntries(v1!.questions.map((q) => [q.questionId, q]));

  expect(byId[Q1]).toMatchObject({
    type: "classify",
    figures: { withheld: false, drawn: 12, facility: 0.5, wrong: { key: "harassment-s2", count: 4 }, flags: [] },
    wrongLabel: "Harassment (s.2)",
  });
  expect(byId[Q1]!.figures.withheld ? null : byId[Q1]!.figures.discrimination).toBeCloseTo(0.4315, 4);

  expect(byId[Q2]).toMatchObject({ figures: { withheld: true, drawn: null }, wrongLabel: null });

  expect(byId[Q3]).toMatchObject({
    type: "single",
    figures: { withheld: false, drawn: 12, wrong: { key: "c", count: 8 }, flags: ["very-hard"] },
    wrongLabel: "31 January 2024",
  });
  expect(byId[Q3]!.figures.withheld ? null : byId[Q3]!.figures.facility).toBeCloseTo(0.0833, 4);
  expect(byId[Q3]!.figures.withheld ? null : byId[Q3]!.figures.discrimination).toBeCloseTo(0.1247, 4);

  expect(byId[Q4]).toMatchObject({
    type: "multiple",
    figures: { withheld: false, drawn: 12, facility: 0.5, wrong: { key: "lawful", count: 4 }, flags: ["weak-discrimination"] },
    wrongLabel: "Sending one polite letter",
  });
  expect(byId[Q4]!.figures.withheld ? null : byId[Q4]!.figures.discrimination).toBeCloseTo(0.0803, 4);
});

test("flags at the edges: facility below 0.2 or above 0.95, discrimination below 0.1; nothing under 10 draws", () => {
  expect(questionFigures({ drawn: 9, correct: 0, discrimination: 0, wrong: null })).toEqual({ withheld: true, drawn: null });
  const flagsOf = (drawn: number, correct: number, discrimination: number | null) => {
    const f = questionFigures({ drawn, correct, discrimination, wrong: null });
    return f.withheld ? null : f.flags;
  };
  expect(flagsOf(10, 2, 0.1)).toEqual([]);
  expect(flagsOf(10, 1, 0.5)).toEqual(["very-hard"]);
  expect(flagsOf(20, 19, 0.5)).toEqual([]);
  expect(flagsOf(40, 39, 0.5)).toEqual(["very-easy"]);
  expect(flagsOf(10, 5, 0.0999)).toEqual(["weak-discrimination"]);
  expect(flagsOf(10, 10, null)).toEqual(["very-easy"]);
});

async function load(loader: typeof moduleLoader | typeof indexLoader, path: string, cookie: string | null, params: Record<string, string> = {}) {
  const request = new Request(`http://localhost:3999${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  try {
    return { status: 200, data: await loader({ request, params, context: undefined as never }) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
}

test("authors and admins see the pages; learners are refused; an unknown module is a 404 and a bad slug a 400", async () => {
  const author = await sessionCookie(await createUser({ role: "author" }));
  const admin = await sessionCookie(await createUser({ role: "admin" }));
  const plain = await sessionCookie(await createUser());
  expect((await load(indexLoader, "/studio/statistics", author)).status).toBe(200);
  expect((await load(indexLoader, "/studio/statistics", admin)).status).toBe(200);
  expect((await load(indexLoader, "/studio/statistics", plain)).status).toBe(403);
  expect((await load(moduleLoader, "/studio/statistics/sample-basics", plain, { slug: "sample-basics" })).status).toBe(403);
  const page = await load(moduleLoader, "/studio/statistics/sample-basics", author, { slug: "sample-basics" });
  expect(page.status).toBe(200);
  // Answer keys and explanations stay on the server: only words of the wrong answers reach the page.
  const json = JSON.stringify(page.data);
  expect(json).not.toContain("FIXTURE-EXPLANATION");
  expect(json).not.toContain('"correct"');
  expect(await load(moduleLoader, "/studio/statistics/no-such-module", author, { slug: "no-such-module" })).toMatchObject({ status: 404, text: "There is no module “no-such-module”." });
  expect((await load(moduleLoader, "/studio/statistics/Bad%20Slug", author, { slug: "Bad Slug" })).status).toBe(400);
});

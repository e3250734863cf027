import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { modules, people } from "#db/schema/index.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { completionByOrganisation, confusionMatrix, questionInsight } from "#app/models/reporting/confusion.server.ts";
import { loader as adminLayoutLoader } from "#app/routes/admin.tsx";
import { loader as insightLoader } from "#app/routes/admin.insight.tsx";
import type { ConfusionMatrix } from "#app/utils/confusion.ts";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { seedClassifyAnswers } from "#tests/insight-factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

const STALKING = "fixture-ex-partner-following";
const MALICIOUS = "fixture-single-offensive-message";

const shownCount = (matrix: ConfusionMatrix, expected: string, chosen: string) => {
  const row = matrix.rows.find((r) => r.expected === expected);
  if (!row || row.suppressed) return undefined;
  const cell = row.cells.find((c) => c.chosen === chosen);
  return cell && !cell.suppressed ? cell.count : undefined;
};
const rowTotal = (matrix: ConfusionMatrix, expected: string) => matrix.rows.find((r) => r.expected === expected)?.total;

// Two organisations and a learner in none, with answers each can tell apart.
const a = await createOrganisation({ name: "Avonshire Constabulary", seats: 20 });
const b = await createOrganisation({ name: "Borsetshire Police", seats: 20 });
const learnerA = await addLearner(a.org.id, a.lead);
const learnerB = await addLearner(b.org.id, b.lead);
const loner = await createUser();
await seedClassifyAnswers({
  userId: learnerA.learner.id,
  organizationId: a.org.id,
  slug: "sample-basics",
  answers: [
    { questionId: STALKING, expected: "stalking-s2a", chosen: "stalking-s2a", n: 30 },
    { questionId: STALKING, expected: "stalking-s2a", chosen: "harassment-s2", n: 20 },
    { questionId: STALKING, expected: "stalking-s2a", chosen: "not-a-crime", n: 10 },
    { questionId: MALICIOUS, expected: "malicious-communications", chosen: "malicious-communications", n: 4 },
  ],
});
await seedClassifyAnswers({
  userId: learnerB.learner.id,
  organizationId: b.org.id,
  slug: "sample-basics",
  answers: [
    { questionId: STALKING, expected: "stalking-s2a", chosen: "stalking-s2a", n: 11 },
    { questionId: MALICIOUS, expected: "malicious-communications", chosen: "malicious-communications", n: 12 },
    { questionId: MALICIOUS, expected: "malicious-communications", chosen: "harassment-s2", n: 13 },
    // Long ago: only the unfiltered view counts these.
    { questionId: MALICIOUS, expected: "malicious-communications", chosen: "not-a-crime", n: 10, answeredAt: new Date("2020-03-01T12:00:00Z") },
  ],
});
await seedClassifyAnswers({
  userId: loner.id,
  organizationId: null,
  slug: "sample-basics",
  answers: [{ questionId: STALKING, expected: "stalking-s2a", chosen: "harassment-s2", n: 10 }],
});

test("an organisation's matrix counts its own answers and never another organisation's", async () => {
  const matrixA = await confusionMatrix({ organisationId: a.org.id });
  expect(rowTotal(matrixA, "stalking-s2a")).toBe(60);
  expect(shownCount(matrixA, "stalking-s2a", "harassment-s2")).toBe(20);
  // A's four malicious-communications answers are withheld, not B's 35 shown.
  expect(matrixA.rows.find((r) => r.expected === "malicious-communications")).toMatchObject({ suppressed: true, total: null });

  const matrixB = await confusionMatrix({ organisationId: b.org.id });
  expect(rowTotal(matrixB, "stalking-s2a")).toBe(11);
  expect(rowTotal(matrixB, "malicious-communications")).toBe(35);
  expect(shownCount(matrixB, "stalking-s2a", "harassment-s2")).toBeUndefined();

  const other = await createOrganisation();
  expect((await confusionMatrix({ organisationId: other.org.id })).rows).toEqual([]);
  await expect(confusionMatrix({ organisationId: "" })).rejects.toThrow(/empty/);
});

test("the platform matrix counts every answer, learners in no organisation included; filters by module and date", async () => {
  const all = await confusionMatrix({ all: true });
  expect(rowTotal(all, "stalking-s2a")).toBe(81);
  expect(shownCount(all, "stalking-s2a", "harassment-s2")).toBe(30);
  expect(rowTotal(all, "malicious-communications")).toBe(39);
  expect(all.confusions[0]?.text).toBe("Stalking (s.2A) answered as harassment (s.2): 37% (of 81 answers)");

  const recent = await confusionMatrix({ all: true }, { from: new Date("2024-01-01T00:00:00Z") });
  expect(rowTotal(recent, "malicious-communications")).toBe(29);

  const [basics] = await handle.db.select({ id: modules.id }).from(modules).where(eq(modules.slug, "sample-basics"));
  expect(rowTotal(await confusionMatrix({ all: true }, { moduleId: basics!.id }), "stalking-s2a")).toBe(81);
  expect((await confusionMatrix({ all: true }, { moduleId: crypto.randomUUID() })).rows).toEqual([]);
});

test("per question: answers, share misclassified, the commonest wrong answer, worst first, scenario from the bank", async () => {
  const questions = await questionInsight();
  // 23 of 39 wrong is worse than 40 of 81.
  expect(questions.map((q) => q.questionId)).toEqual([MALICIOUS, STALKING]);
  const [malicious, stalking] = questions;
  expect(stalking).toMatchObject({ suppressed: false, answers: 81, expected: "stalking-s2a", commonestWrong: { chosen: "harassment-s2" } });
  expect(stalking!.shareMisclassified).toBeCloseTo(40 / 81);
  expect(stalking!.excerpt).toMatch(/^Since their break-up, Dan has followed Amy home/);
  expect(malicious).toMatchObject({ suppressed: false, answers: 39, commonestWrong: { chosen: "harassment-s2" } });

  expect(malicious!.shareMisclassified).toBeCloseTo(23 / 39);

  // The old answers left out, the malicious-communications scenario still has 29.
  const recent = await questionInsight({ from: new Date("2024-01-01T00:00:00Z") });
  expect(recent.find((q) => q.questionId === MALICIOUS)).toMatchObject({ answers: 29 });
  expect(await questionInsight({ from: new Date(Date.now() + 60_000) })).toEqual([]);

  // A question with too few answers (here one since dropped from the bank) is listed last, without figures.
  await seedClassifyAnswers({
    userId: loner.id,
    organizationId: null,
    slug: "sample-basics",
    answers: [{ questionId: "fixture-dropped-question", expected: "stalking-s4a", chosen: "harassment-s4", n: 3 }],
  });
  const withFew = await questionInsight();
  expect(withFew.at(-1)).toEqual({
    moduleId: stalking!.moduleId,
    moduleTitle: stalking!.moduleTitle,
    questionId: "fixture-dropped-question",
    excerpt: "(no longer in the question bank)",
    expected: null,
    suppressed: true,
    answers: null,
    shareCorrect: null,
    shareMisclassified: null,
    commonestWrong: null,
  });
});

test("completion counts each organisation's assigned and completed modules, leavers excluded", async () => {
  const { org, lead } = await createOrganisation({ name: "Completion Force", seats: 20 });
  const done = await addLearner(org.id, lead);
  await addLearner(org.id, lead);
  const gone = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: 30 });
  await completeModule(done.learner.id, "sample-basics", { organizationId: org.id });
  await handle.db.update(people).set({ status: "left" }).where(eq(people.id, gone.personId));
  const completion = await completionByOrganisation();
  // The lead, and two learners still there.
  expect(completion.organisations.find((o) => o.organizationId === org.id)).toEqual({ organizationId: org.id, name: "Completion Force", people: 3, assigned: 3, completed: 1 });
  const [basics] = await handle.db.select({ id: modules.id }).from(modules).where(eq(modules.slug, "sample-basics"));
  expect(completion.modules).toEqual([expect.objectContaining({ moduleId: basics!.id, organisations: 1, assigned: 3, completed: 1 })]);
  expect(completion.totals).toMatchObject({ organisations: 1, people: 3, assigned: 3, completed: 1 });
});

async function load(path: string, cookie: string | null) {
  const request = new Request(`http://localhost:3999${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  try {
    return { status: 200, data: await insightLoader({ request, params: {}, context: undefined as never }) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text(), location: thrown.headers.get("Location") };
    throw thrown;
  }
}

test("platform admins see organisation names; authors see only aggregates; anyone else is turned away", async () => {
  const admin = await createUser({ role: "admin" });
  const author = await createUser({ role: "author" });
  const plain = await createUser();

  const asAdmin = await load("/admin/insight", await sessionCookie(admin));
  expect(asAdmin.status).toBe(200);
  expect(JSON.stringify(asAdmin.data)).toContain("Completion Force");
  expect(asAdmin.data?.completion.organisations?.length).toBeGreaterThan(0);

  const asAuthor = await load("/admin/insight", await sessionCookie(author));
  expect(asAuthor.status).toBe(200);
  const authorJson = JSON.stringify(asAuthor.data);
  for (const name of ["Completion Force", "Avonshire Constabulary", "Borsetshire Police", a.org.id, b.org.id, a.org.slug]) expect(authorJson).not.toContain(name);
  expect(asAuthor.data?.completion.organisations).toBeNull();
  expect(asAuthor.data?.completion.totals.assigned).toBe(3);
  // The layout lets authors in too.
  await expect(
    adminLayoutLoader({ request: new Request("http://localhost:3999/admin/insight", { headers: { Cookie: await sessionCookie(author) } }), params: {}, context: undefined as never }),
  ).resolves.toEqual({ isAdmin: false });

  expect((await load("/admin/insight", await sessionCookie(plain))).status).toBe(403);
  const signedOut = await load("/admin/insight", null);
  expect(signedOut.status).toBe(302);
  expect(signedOut.location).toMatch(/^\/login\?redirectTo=/);
});

test("the filter: a bad module or date is a 400 naming the parameter; a good one narrows the figures", async () => {
  const author = await sessionCookie(await createUser({ role: "author" }));
  const badModule = await load("/admin/insight?module=no-such-module", author);
  expect(badModule).toMatchObject({ status: 400 });
  expect(badModule.text).toContain("“module”");
  const badDate = await load("/admin/insight?since=yesterday", author);
  expect(badDate).toMatchObject({ status: 400 });
  expect(badDate.text).toContain("“since”");

  const filtered = await load("/admin/insight?module=sample-basics&since=2024-01-01", author);
  expect(filtered.status).toBe(200);
  expect(filtered.data?.query).toEqual({ module: "sample-basics", since: "2024-01-01" });
  const all = rowTotal(await confusionMatrix({ all: true }), "malicious-communications");
  // The ten answers from 2020 are left out.
  expect(rowTotal(filtered.data!.matrix, "malicious-communications")).toBe(all! - 10);
});

import { and, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { expect, test } from "vitest";
import { classifyAnswers, classifyCounts, modules, moduleVersions, user } from "#db/schema/index.ts";
import { compactClassifyCounts, confusionMatrix, questionInsight, type ConfusionScope } from "#app/models/reporting/confusion.server.ts";
import { buildConfusionMatrix } from "#app/utils/confusion.ts";
import { startOfLondonDay } from "#app/utils/insight-query.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { seedClassifyAnswers } from "#tests/insight-factories.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

/*
 * The confusion matrices sum classify_counts (answers grouped by London
 * month) and count the part of a month after a "since" date from the answers
 * themselves. Checked here against counting the answers directly, with
 * answers on London month edges (summer time and not).
 */

const handle = await openTestDatabase();
await importFixtures(handle);

const STALKING = "fixture-ex-partner-following";
const MALICIOUS = "fixture-single-offensive-message";
// 2026-06-30T23:30Z is 1 July in London; 2026-11-30T23:30Z is still 30 November.
const WHEN = ["2026-06-30T23:30:00Z", "2026-07-01T00:30:00Z", "2026-06-15T12:00:00Z", "2026-11-30T23:30:00Z", "2026-12-01T00:00:00Z", "2025-03-30T00:30:00Z"];
const SINCE = [undefined, "2026-07-01", "2026-06-30", "2026-07-15", "2026-11-30", "2026-12-01", "2025-01-01", "2030-01-01"];

async function answersFor(orgId: string | null, userId: string, spread: number) {
  await seedClassifyAnswers({
    userId,
    organizationId: orgId,
    slug: "sample-basics",
    answers: WHEN.flatMap((at, i) => [
      { questionId: STALKING, expected: "stalking-s2a", chosen: "stalking-s2a", n: 6 + ((i + spread) % 4), answeredAt: new Date(at) },
      { questionId: STALKING, expected: "stalking-s2a", chosen: "harassment-s2", n: 3 + ((i * spread) % 5), answeredAt: new Date(at) },
      { questionId: MALICIOUS, expected: "malicious-communications", chosen: "malicious-communications", n: 5 + (i % 3), answeredAt: new Date(at) },
      { questionId: MALICIOUS, expected: "malicious-communications", chosen: "stalking-s2a", n: 1 + (i % 2), answeredAt: new Date(at) },
    ]),
  });
}

/** The matrix worked out from classify_answers directly. */
async function direct(scope: ConfusionScope, options: { moduleId?: string; from?: Date }) {
  const where: SQL[] = [];
  if ("organisationId" in scope) where.push(eq(classifyAnswers.organizationId, scope.organisationId));
  if (options.from) where.push(gte(classifyAnswers.answeredAt, options.from));
  if (options.moduleId) where.push(inArray(classifyAnswers.moduleVersionId, handle.db.select({ id: moduleVersions.id }).from(moduleVersions).where(eq(moduleVersions.moduleId, options.moduleId))));
  const counts = await handle.db
    .select({ expected: classifyAnswers.expected, chosen: classifyAnswers.chosen, n: sql<number>`count(*)::int` })
    .from(classifyAnswers)
    .where(and(...where))
    .groupBy(classifyAnswers.expected, classifyAnswers.chosen);
  return buildConfusionMatrix(counts);
}

const a = await createOrganisation({ seats: 10 });
const b = await createOrganisation({ seats: 10 });
const learnerA = await addLearner(a.org.id, a.lead);
const learnerB = await addLearner(b.org.id, b.lead);
const loner = await createUser();
await answersFor(a.org.id, learnerA.learner.id, 1);
await answersFor(b.org.id, learnerB.learner.id, 2);
await answersFor(null, loner.id, 3);
const [basics] = await handle.db.select({ id: modules.id }).from(modules).where(eq(modules.slug, "sample-basics"));

test("every matrix equals counting the answers one by one, whatever the 'since' date, organisation or module", async () => {
  let nonEmpty = 0;
  for (const since of SINCE) {
    const from = since ? startOfLondonDay(since) : undefined;
    for (const scope of [{ organisationId: a.org.id }, { organisationId: b.org.id }, { all: true } as const]) {
      for (const moduleId of [undefined, basics!.id]) {
        const options = { ...(from ? { from } : {}), ...(moduleId ? { moduleId } : {}) };
        const want = await direct(scope, options);
        expect(await confusionMatrix(scope, options), `${since} ${JSON.stringify(scope)} ${moduleId}`).toEqual(want);
        if (want.rows.length > 0) nonEmpty++;
      }
    }
  }
  expect(nonEmpty).toBeGreaterThan(30);
  // Per question, too (trust insight): all answers since 1 July London time.
  const insight = await questionInsight({ from: startOfLondonDay("2026-07-01") });
  const stalking = insight.find((q) => q.questionId === STALKING)!;
  const [row] = await handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(classifyAnswers)
    .where(and(eq(classifyAnswers.questionId, STALKING), gte(classifyAnswers.answeredAt, startOfLondonDay("2026-07-01"))));
  expect(stalking.answers).toBe(row!.n);
});

test("the matrix is read from classify_counts; compaction folds its deltas and changes nothing; deleted answers leave it", async () => {
  const scope = { organisationId: a.org.id };
  const before = await confusionMatrix(scope);
  expect(before.totalAnswers).toBeGreaterThan(0);
  const rows = async () => (await handle.db.select({ n: sql<number>`count(*)::int` }).from(classifyCounts))[0]!.n;

  // More answers for the same keys: deltas pile up, then fold (once there are over twice as many rows as keys).
  const keys = await rows();
  let rounds = 0;
  let folded = 0;
  let grown = 0;
  while (folded === 0 && rounds < 10) {
    await answersFor(a.org.id, learnerA.learner.id, 1);
    rounds++;
    grown = await rows();
    folded = await compactClassifyCounts();
    expect(folded > 0, `round ${rounds}: ${grown} rows for ${keys} keys`).toBe(grown > 2 * keys);
  }
  expect(rounds).toBeGreaterThan(1);
  expect(await rows()).toBe(keys);
  expect(folded).toBe(grown - keys);
  expect(await compactClassifyCounts(handle.db, { always: true })).toBe(0);
  expect(await confusionMatrix(scope)).toEqual(await direct(scope, {}));
  expect((await confusionMatrix(scope)).totalAnswers).toBe((rounds + 1) * before.totalAnswers!);

  // A learner's account deleted takes their answers, and their counts, away.
  await handle.db.delete(user).where(eq(user.id, learnerA.learner.id));
  expect((await confusionMatrix(scope)).rows).toEqual([]);
  expect(await confusionMatrix({ all: true })).toEqual(await direct({ all: true }, {}));

  // Without the counts the matrix would be empty: it does not read the answers.
  await handle.db.execute(sql`delete from classify_counts`);
  expect((await confusionMatrix({ all: true })).rows).toEqual([]);
  await handle.db.execute(sql`select recount_classify_counts()`);
  expect(await confusionMatrix({ all: true })).toEqual(await direct({ all: true }, {}));
});

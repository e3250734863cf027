import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { enrolments, lessonProgress } from "#db/schema/index.ts";
import { completeLesson, findEnrolment, startModule } from "#app/models/learning/enrolment.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

// ADR 044: on the embedded database a learner's enrolment and progress are kept between writes. Each test reads
// (filling what is kept), changes the data another way, and reads again: the second read must show the change.

const handle = await openTestDatabase();
await importFixtures(handle);

async function learnerWithProgress() {
  const learner = await createUser();
  const enrolment = await startModule({ userId: learner.id, slug: "sample-basics" });
  await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "first" });
  return { learner, enrolment };
}

const keys = async (userId: string) => [...((await findEnrolment(userId, "sample-basics"))?.completedLessonKeys ?? [])].sort();

test("a second read between writes is answered without a statement on the embedded database, and is the same answer", async () => {
  const { learner } = await learnerWithProgress();
  const first = await findEnrolment(learner.id, "sample-basics");
  const before = handle.stats.queries;
  const second = await findEnrolment(learner.id, "sample-basics");
  expect(handle.stats.queries - before).toBe(handle.kind === "pglite" ? 0 : 1);
  expect(second).toEqual(first);
  // Each caller gets its own copy: changing one does not change the next.
  second!.completedLessonKeys.add("changed");
  expect(await keys(learner.id)).toEqual(["first"]);
});

test("completing a lesson through the model shows at the next read", async () => {
  const { learner } = await learnerWithProgress();
  expect(await keys(learner.id)).toEqual(["first"]);
  await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "second" });
  expect(await keys(learner.id)).toEqual(["first", "second"]);
});

test("progress deleted, and an enrolment completed, by statements outside the models show at the next read", async () => {
  const { learner, enrolment } = await learnerWithProgress();
  expect(await keys(learner.id)).toEqual(["first"]);
  await handle.db.delete(lessonProgress).where(and(eq(lessonProgress.enrolmentId, enrolment.id), eq(lessonProgress.lessonKey, "first")));
  expect(await keys(learner.id)).toEqual([]);
  expect((await findEnrolment(learner.id, "sample-basics"))?.completedAt).toBeNull();
  await handle.db.execute(sql`update enrolments set completed_at = now() where id = ${enrolment.id}`);
  expect((await findEnrolment(learner.id, "sample-basics"))?.completedAt).toBeInstanceOf(Date);
});

test("another learner's write, and a write rolled back, leave every answer right", async () => {
  const { learner, enrolment } = await learnerWithProgress();
  const other = await learnerWithProgress();
  expect(await keys(learner.id)).toEqual(["first"]);
  await completeLesson({ userId: other.learner.id, slug: "sample-basics", lessonKey: "second" });
  expect(await keys(learner.id)).toEqual(["first"]);
  expect(await keys(other.learner.id)).toEqual(["first", "second"]);
  await expect(
    handle.db.transaction(async (tx) => {
      await tx.insert(lessonProgress).values({ enrolmentId: enrolment.id, lessonKey: "third" });
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  expect(await keys(learner.id)).toEqual(["first"]);
  // The learner's enrolment erased (as account deletion does): no answer.
  await handle.db.delete(enrolments).where(eq(enrolments.id, enrolment.id));
  expect(await findEnrolment(learner.id, "sample-basics")).toBeNull();
});

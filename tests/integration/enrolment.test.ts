import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { enrolments, lessonProgress } from "#db/schema/index.ts";
import { completeLesson, findEnrolment, learningHome, NotFoundError, startModule } from "#app/models/learning/enrolment.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

test("starting a module twice, even at the same moment, leaves one enrolment", async () => {
  const learner = await createUser();
  const [a, b] = await Promise.all([
    startModule({ userId: learner.id, slug: "sample-basics" }),
    startModule({ userId: learner.id, slug: "sample-basics" }),
  ]);
  expect(a.id).toBe(b.id);
  const rows = await handle.db.select({ id: enrolments.id }).from(enrolments).where(eq(enrolments.userId, learner.id));
  expect(rows).toHaveLength(1);
});

test("completing a lesson twice records it once; after the last lesson the assessment is next", async () => {
  const learner = await createUser();
  await startModule({ userId: learner.id, slug: "sample-basics" });
  const first = await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "first" });
  expect(first).toMatchObject({ moduleCompleted: false, next: { kind: "lesson", key: "second" } });
  await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "first" });
  await Promise.all([
    completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "second" }),
    completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "second" }),
  ]);
  const enrolment = await findEnrolment(learner.id, "sample-basics");
  const [{ n } = { n: 0 }] = await handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(lessonProgress)
    .where(eq(lessonProgress.enrolmentId, enrolment!.id));
  expect(n).toBe(2);
  expect(enrolment!.completedAt).toBeNull();

  const last = await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "sources" });
  // The fixture's assessment must be passed too.
  expect(last).toMatchObject({ moduleCompleted: false, next: { kind: "quiz" } });
  const after = await findEnrolment(learner.id, "sample-basics");
  expect(after!.completedAt).toBeNull();
  const home = await learningHome(learner.id);
  expect(home.inProgress[0]).toMatchObject({ continueTo: "/modules/sample-basics/quiz", lessonsDone: 3 });
});

test("a lesson that is not in the learner's version, or a module not started, is refused with NotFound", async () => {
  const learner = await createUser();
  await expect(completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "first" })).rejects.toBeInstanceOf(NotFoundError);
  await startModule({ userId: learner.id, slug: "sample-basics" });
  await expect(completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "no-such-lesson" })).rejects.toBeInstanceOf(NotFoundError);
  await expect(startModule({ userId: learner.id, slug: "no-such-module" })).rejects.toBeInstanceOf(NotFoundError);
});

test("learning home shows progress and where to continue", async () => {
  const learner = await createUser();
  await startModule({ userId: learner.id, slug: "sample-basics" });
  await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "first" });
  const home = await learningHome(learner.id);
  expect(home.inProgress).toHaveLength(1);
  expect(home.inProgress[0]).toMatchObject({
    lessonsDone: 1,
    lessonsTotal: 3,
    percent: 33,
    continueTo: "/modules/sample-basics/second",
  });
  // Another learner's progress is not theirs.
  const other = await createUser();
  expect((await learningHome(other.id)).inProgress).toHaveLength(0);
  const rows = await handle.db
    .select({ id: enrolments.id })
    .from(enrolments)
    .where(and(eq(enrolments.userId, other.id)));
  expect(rows).toHaveLength(0);
});

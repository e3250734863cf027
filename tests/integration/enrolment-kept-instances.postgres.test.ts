import { and, eq, sql } from "drizzle-orm";
import { afterAll, expect, test, vi } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client.ts";
import { enrolments, lessonProgress, user } from "#db/schema/index.ts";
import { completeLesson, findEnrolment, KEPT_MS_POSTGRES, startModule } from "#app/models/learning/enrolment.server.ts";
import { setDatabase } from "#app/models/platform/db.server.ts";
import { runWithRequestContext } from "#app/services/request-context.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { openTestDatabase, testDatabaseUrl } from "./database.ts";

// ADR 047: the server's handle on PostgreSQL keeps a learner's enrolment and progress until any instance commits a
// change to them (migration 0021's triggers notify; db/progress-changes.ts listens). Instance A is a handle opened as
// the server opens it; "another instance" is the test database's own handle B, writing on its own connections. Each
// test reads on A (filling what is kept), changes the data on B, and reads on A again.

const b = await openTestDatabase();
await importFixtures(b);
const a = await openDatabase({ kind: "postgres", url: testDatabaseUrl(b)!, poolSize: 3, keepProgress: true });
afterAll(async () => {
  setDatabase(b);
  await a.close();
});

const on = <T>(handle: DatabaseHandle, fn: () => Promise<T>) => {
  setDatabase(handle);
  return fn();
};

async function learnerWithProgress() {
  return on(b, async () => {
    const learner = await createUser();
    const enrolment = await startModule({ userId: learner.id, slug: "sample-basics" });
    await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "first" });
    return { learner, enrolment };
  });
}

/** What A answers for the learner, and how many statements A sent for it. */
async function readOnA(userId: string) {
  const before = a.stats.queries;
  const enrolment = await on(a, () => findEnrolment(userId, "sample-basics"));
  return { keys: [...(enrolment?.completedLessonKeys ?? [])].sort(), enrolment, statements: a.stats.queries - before };
}

/** Until A has heard of everything committed so far (a round trip on its listening connection). */
async function aHasHeard() {
  expect(await a.writes!.caughtUp!()).toBe(true);
}

test("instance A keeps an answer between changes, and another instance's changes show once A has heard of them", async () => {
  expect(a.writes?.keeping).toBe(true);
  const { learner, enrolment } = await learnerWithProgress();
  await aHasHeard();
  expect((await readOnA(learner.id)).keys).toEqual(["first"]);
  expect(await readOnA(learner.id)).toMatchObject({ keys: ["first"], statements: 0 });

  await on(b, () => completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "second" }));
  await aHasHeard();
  expect((await readOnA(learner.id)).keys).toEqual(["first", "second"]);

  await b.db.delete(lessonProgress).where(and(eq(lessonProgress.enrolmentId, enrolment.id), eq(lessonProgress.lessonKey, "first")));
  await aHasHeard();
  expect((await readOnA(learner.id)).keys).toEqual(["second"]);

  expect((await readOnA(learner.id)).enrolment?.completedAt).toBeNull();
  await b.db.execute(sql`update enrolments set completed_at = now() where id = ${enrolment.id}`);
  await aHasHeard();
  expect((await readOnA(learner.id)).enrolment?.completedAt).toBeInstanceOf(Date);

  // The learner erased: the enrolment goes by the foreign key's cascade, not by a statement on enrolments.
  await b.db.delete(user).where(eq(user.id, learner.id));
  await aHasHeard();
  expect((await readOnA(learner.id)).enrolment).toBeNull();
});

test("A's own write shows at A's next read, before any notification", async () => {
  const { learner } = await learnerWithProgress();
  await aHasHeard();
  await readOnA(learner.id);
  expect(await readOnA(learner.id)).toMatchObject({ keys: ["first"], statements: 0 });
  await on(a, () => completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "second" }));
  expect((await readOnA(learner.id)).keys).toEqual(["first", "second"]);
});

test("each learner is answered with their own progress", async () => {
  const one = await learnerWithProgress();
  const two = await learnerWithProgress();
  await on(b, () => completeLesson({ userId: two.learner.id, slug: "sample-basics", lessonKey: "second" }));
  await aHasHeard();
  for (let i = 0; i < 2; i++) {
    expect((await readOnA(one.learner.id)).enrolment?.id).toBe(one.enrolment.id);
    expect((await readOnA(one.learner.id)).keys).toEqual(["first"]);
    expect((await readOnA(two.learner.id)).enrolment?.id).toBe(two.enrolment.id);
    expect((await readOnA(two.learner.id)).keys).toEqual(["first", "second"]);
  }
});

test("a request from a browser that has just written its progress reads afresh, heard of or not", async () => {
  const { learner } = await learnerWithProgress();
  await aHasHeard();
  await readOnA(learner.id);
  expect(await readOnA(learner.id)).toMatchObject({ statements: 0 });
  // The write on another instance, and A asked at once (A may not have heard yet).
  await on(b, () => completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "second" }));
  const fresh = await runWithRequestContext({ clientAddress: "test", appendSetCookie: () => undefined, readsOwnWrites: true }, () => readOnA(learner.id));
  expect(fresh).toMatchObject({ keys: ["first", "second"], statements: 1 });
});

test("while A cannot hear of changes it keeps nothing, and what it kept before is not used again", async () => {
  const { learner, enrolment } = await learnerWithProgress();
  await aHasHeard();
  await readOnA(learner.id);
  expect(await readOnA(learner.id)).toMatchObject({ keys: ["first"], statements: 0 });
  const pid = a.listenerPid!();
  expect(pid).not.toBeNull();
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  await b.db.execute(sql`select pg_terminate_backend(${pid})`);
  // Waiting for A to see its connection end (an event, not a time).
  while (a.writes!.keeping && a.listenerPid!() === pid) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(logged).toHaveBeenCalledWith(expect.stringContaining("progress notifications lost"));
  logged.mockRestore();
  // Read while not listening, then a change whose notification is lost: A must read again.
  expect(await readOnA(learner.id)).toMatchObject({ keys: ["first"], statements: 1 });
  await b.db.insert(lessonProgress).values({ enrolmentId: enrolment.id, lessonKey: "third" });
  expect((await readOnA(learner.id)).keys).toEqual(["first", "third"]);
  // And it listens again (the generation moves then, so nothing read meanwhile is used after).
  while (!a.writes!.keeping) await new Promise((resolve) => setTimeout(resolve, 20));
  await readOnA(learner.id);
  expect(await readOnA(learner.id)).toMatchObject({ keys: ["first", "third"], statements: 0 });
  await b.db.delete(enrolments).where(eq(enrolments.id, enrolment.id));
  await aHasHeard();
  expect((await readOnA(learner.id)).enrolment).toBeNull();
});

test("a change A never hears of (the triggers off for that session) shows once the kept answer is KEPT_MS_POSTGRES old", async () => {
  const { learner, enrolment } = await learnerWithProgress();
  vi.useFakeTimers({ toFake: ["performance"] });
  try {
    await aHasHeard();
    await readOnA(learner.id);
    await b.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.insert(lessonProgress).values({ enrolmentId: enrolment.id, lessonKey: "third" });
    });
    await aHasHeard();
    // Not heard of: A still answers from what it kept, until that is old enough.
    vi.advanceTimersByTime(KEPT_MS_POSTGRES - 1_000);
    expect(await readOnA(learner.id)).toMatchObject({ keys: ["first"], statements: 0 });
    vi.advanceTimersByTime(1_001);
    expect(await readOnA(learner.id)).toMatchObject({ keys: ["first", "third"], statements: 1 });
  } finally {
    vi.useRealTimers();
  }
});

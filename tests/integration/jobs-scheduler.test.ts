/**
 * The in-server scheduler, with the clock and timers faked: what runs when,
 * and that a stopped scheduler runs nothing more.
 */
import { asc, eq } from "drizzle-orm";
import { afterEach, expect, test, vi } from "vitest";
import { emailOutbox } from "#db/schema/index.ts";
import { FIRST_RUN_AFTER_MS, startScheduler } from "#app/jobs/scheduler.server.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { importFixtures } from "#tests/factories.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

afterEach(() => {
  vi.useRealTimers();
});

async function remindersTo(email: string) {
  const rows = await handle.db
    .select({ kind: emailOutbox.kind, subject: emailOutbox.subject })
    .from(emailOutbox)
    .where(eq(emailOutbox.recipient, email))
    .orderBy(asc(emailOutbox.createdAt));
  return rows.filter((r) => r.kind.startsWith("assignment-")).map((r) => r.subject);
}

test("the scheduler runs the jobs 2 s after start and then every interval, on the server's clock, and nothing after stop", async () => {
  const { org, lead } = await createOrganisation({ name: "Scheduled Police", seats: 5 });
  const first = await addLearner(org.id, lead);
  const second = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [first.personId], dueDate: "2036-03-10", dueDays: null });
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [second.personId], dueDate: "2036-03-11", dueDays: null });
  vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval", "Date"] });
  vi.setSystemTime(new Date("2036-03-03T08:00:00Z")); // 7 days before the first due date, 8 before the second
  expect(FIRST_RUN_AFTER_MS).toBe(2_000);
  const scheduler = startScheduler({ intervalSeconds: 60 });
  try {
    await vi.advanceTimersByTimeAsync(1_999);
    await scheduler.whenIdle();
    expect(await remindersTo(first.learner.email)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await scheduler.whenIdle();
    expect(await remindersTo(first.learner.email)).toEqual(["Due on 10 March 2036: Sample basics"]);
    expect(await remindersTo(second.learner.email)).toEqual([]);

    // A day later (the clock moves; the interval ticks): the second is now 7 days away.
    vi.setSystemTime(new Date("2036-03-04T08:00:00Z"));
    await vi.advanceTimersByTimeAsync(60_000);
    await scheduler.whenIdle();
    expect(await remindersTo(second.learner.email)).toEqual(["Due on 11 March 2036: Sample basics"]);
    expect(await remindersTo(first.learner.email)).toEqual(["Due on 10 March 2036: Sample basics"]);
  } finally {
    scheduler.stop();
  }
  // Stopped: the overdue reminders a later run would send do not go.
  vi.setSystemTime(new Date("2036-03-12T08:00:00Z"));
  await vi.advanceTimersByTimeAsync(120_000);
  await scheduler.whenIdle();
  expect(await remindersTo(first.learner.email)).toEqual(["Due on 10 March 2036: Sample basics"]);
});

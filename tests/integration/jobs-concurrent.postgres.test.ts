/**
 * Reminders sent once when the jobs run at the same moment on several
 * instances. PostgreSQL only: the embedded database runs one transaction at a
 * time, so concurrent runs there never overlap and would prove nothing.
 * tests/vitest.config.ts includes this file only when TEST_DATABASE_URL is
 * set, and the first test fails (rather than skips) on any other database.
 */
import { asc, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { certificates, emailOutbox } from "#db/schema/index.ts";
import { runAllJobs } from "#app/jobs/registry.server.ts";
import { createAssignment, sendDueReminders, sendWeeklyOverdueDigest } from "#app/models/organisations/assignment.server.ts";
import { sendCertificateExpiryReminders } from "#app/models/learning/certificate.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

const at = (iso: string) => new Date(iso);
const RUNS = 5; // the test database's pool has 5 connections: five runs truly at once

async function kindsTo(email: string): Promise<string[]> {
  const rows = await handle.db
    .select({ kind: emailOutbox.kind })
    .from(emailOutbox)
    .where(eq(emailOutbox.recipient, email))
    .orderBy(asc(emailOutbox.createdAt), asc(emailOutbox.id));
  return rows.map((r) => r.kind);
}

test("PostgreSQL only: this file runs on PostgreSQL (TEST_DATABASE_URL), where transactions overlap", async () => {
  expect(handle.kind).toBe("postgres");
  // Two transactions open at once, each seeing the other's backend inside a transaction: a real overlap.
  // Each looks (for up to 5 s) for another backend of this database with a transaction open; "active"
  // alone would miss the other while it sits between two statements.
  const seen = await Promise.all(
    [0, 1].map(() =>
      handle.db.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) {
          // pg_stat_activity is read once per transaction unless its snapshot is cleared.
          await tx.execute(sql`select pg_stat_clear_snapshot()`);
          const r = (await tx.execute(
            sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and xact_start is not null and pid <> pg_backend_pid()`,
          )) as unknown as { rows: { n: number }[] };
          if (r.rows[0]!.n >= 1) {
            await tx.execute(sql`select pg_sleep(0.3)`); // stay open, so the other sees this one too
            return r.rows[0]!.n + 1;
          }
          await tx.execute(sql`select pg_sleep(0.1)`);
        }
        return 1;
      }),
    ),
  );
  expect(Math.max(...seen)).toBeGreaterThanOrEqual(2);
});

test("on PostgreSQL, due-soon, overdue and the weekly digest go once each when five runs of every job happen at once", async () => {
  const { org, lead } = await createOrganisation({ name: "Concurrent Police", seats: 10 });
  const soon = await addLearner(org.id, lead);
  const late = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [soon.personId], dueDate: "2030-07-15", dueDays: null });
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [late.personId], dueDate: "2030-07-01", dueDays: null });
  const moment = at("2030-07-08T08:00:00Z"); // Monday: 7 days before one, a week after the other
  await Promise.all(Array.from({ length: RUNS }, () => sendDueReminders(moment)));
  await Promise.all(Array.from({ length: RUNS }, () => sendWeeklyOverdueDigest(moment)));
  await Promise.all(Array.from({ length: RUNS }, () => runAllJobs(moment)));
  expect(await kindsTo(soon.learner.email)).toEqual(["invitation", "assignment", "assignment-due-soon"]);
  expect(await kindsTo(late.learner.email)).toEqual(["invitation", "assignment", "assignment-overdue"]);
  expect((await kindsTo(lead.email)).filter((k) => k === "overdue-digest")).toEqual(["overdue-digest"]);
  // Every mail was sent once: SKIP LOCKED hands each to one of the runs.
  const states = await handle.db.select({ status: emailOutbox.status, attempts: emailOutbox.attempts }).from(emailOutbox).where(eq(emailOutbox.recipient, soon.learner.email));
  expect(states).toEqual([
    { status: "logged", attempts: 1 },
    { status: "logged", attempts: 1 },
    { status: "logged", attempts: 1 },
  ]);
});

test("on PostgreSQL, each certificate expiry reminder goes once when five runs happen at once at each milestone", async () => {
  const learner = await createUser();
  await completeModule(learner.id, "sample-basics");
  await handle.db.update(certificates).set({ expiresAt: at("2031-09-30T10:00:00Z") }).where(eq(certificates.userId, learner.id));
  for (const moment of ["2031-08-31T10:00:00Z", "2031-09-23T10:00:00Z", "2031-09-30T10:00:00Z"]) {
    await Promise.all(Array.from({ length: RUNS }, () => sendCertificateExpiryReminders(at(moment))));
    await Promise.all(Array.from({ length: RUNS }, () => runAllJobs(at(moment))));
  }
  expect((await kindsTo(learner.email)).filter((k) => k.startsWith("certificate-expiry"))).toEqual([
    "certificate-expiry-30d",
    "certificate-expiry-7d",
    "certificate-expiry-expired",
  ]);
});

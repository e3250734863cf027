import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { certificates, enrolments } from "#db/schema/index.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { personAssignmentsQuery, runStatusQuery } from "#app/models/organisations/assignment-status.server.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { assignmentStatus, dueDateFor, type AssignmentStatus } from "#app/utils/assignment-status.ts";
import { importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

type Scenario = {
  name: string;
  dueDaysFromNow: number;
  setup: (userId: string) => Promise<void>;
  expected: AssignmentStatus;
};

const expireCertificate = (userId: string) => handle.db.update(certificates).set({ expiresAt: sql`now() - interval '1 day'` }).where(eq(certificates.userId, userId));

const scenarios: Scenario[] = [
  { name: "nothing done, due later", dueDaysFromNow: 10, setup: async () => {}, expected: "not-started" },
  { name: "nothing done, due date passed", dueDaysFromNow: -2, setup: async () => {}, expected: "overdue" },
  { name: "started, due later", dueDaysFromNow: 10, setup: async (u) => void (await startModule({ userId: u, slug: "sample-basics" })), expected: "in-progress" },
  { name: "started, due date passed", dueDaysFromNow: -1, setup: async (u) => void (await startModule({ userId: u, slug: "sample-basics" })), expected: "overdue" },
  { name: "completed, due date passed", dueDaysFromNow: -5, setup: (u) => completeModule(u, "sample-basics"), expected: "completed" },
  {
    name: "certificate expired",
    dueDaysFromNow: 10,
    setup: async (u) => {
      await completeModule(u, "sample-basics");
      await expireCertificate(u);
    },
    expected: "expired",
  },
  {
    name: "certificate expired, renewing",
    dueDaysFromNow: 10,
    setup: async (u) => {
      await completeModule(u, "sample-basics");
      await expireCertificate(u);
      await startModule({ userId: u, slug: "sample-basics" });
    },
    expected: "in-progress",
  },
  {
    name: "certificate revoked",
    dueDaysFromNow: 10,
    setup: async (u) => {
      await completeModule(u, "sample-basics");
      await handle.db.update(certificates).set({ revokedAt: sql`now()` }).where(eq(certificates.userId, u));
    },
    expected: "not-started",
  },
];

test.each(scenarios)("$name: SQL and TypeScript rules agree on $expected", async ({ dueDaysFromNow, setup, expected }) => {
  const { org, lead } = await createOrganisation({ seats: 5 });
  const { learner, personId } = await addLearner(org.id, lead);
  const due = new Date(Date.now() + dueDaysFromNow * 86_400_000).toISOString().slice(0, 10);
  const assignmentId = await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: due, dueDays: null });
  await setup(learner.id);

  const [row] = await runStatusQuery(handle.db, sql`select * from (${personAssignmentsQuery({ organisationId: org.id })}) s where s.assignment_id = ${assignmentId}`);
  expect(row?.status).toBe(expected);

  // The same facts through the TypeScript rules.
  const latest = await handle.db
    .select({ completedAt: enrolments.completedAt, expiresAt: certificates.expiresAt, revokedAt: certificates.revokedAt })
    .from(enrolments)
    .leftJoin(certificates, eq(certificates.enrolmentId, enrolments.id))
    .where(eq(enrolments.userId, learner.id));
  const completed = latest.filter((l) => l.completedAt).sort((x, y) => y.completedAt!.getTime() - x.completedAt!.getTime())[0];
  const pure = assignmentStatus({
    latestCompletion: completed ? { certificateExpiresAt: completed.expiresAt, certificateRevoked: !!completed.revokedAt } : null,
    inProgress: latest.some((l) => !l.completedAt),
    due: dueDateFor({ dueDate: due, dueDays: null, assignedAt: new Date(), personSince: null, extendedTo: null }),
    now: new Date(),
  });
  expect(pure).toBe(expected);
});

import { eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { modules, organization, people, sentNotifications, user } from "#db/schema/index.ts";
import { enqueueEmail } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { getEnv } from "#app/services/env.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { personAssignmentsQuery, runStatusQuery } from "./assignment-status.server.ts";

/**
 * The key that says a person was told about an assignment: createAssignment
 * writes one for everyone it mails, so a later join or team move mails only
 * the people who have not heard of it.
 */
export const noticeKey = (assignmentId: string, personId: string) => `assignment-notice:${assignmentId}:${personId}`;

/**
 * "New training" mails for one person who has just become able to see
 * assignments made before: they joined (an invitation accepted, an address on
 * the organisation's domain confirmed) or moved into a team that has one.
 * Only assignments still to do; each once per person (keyed), in the
 * caller's transaction so the mail goes only if the join does.
 */
export async function sendAssignmentNoticesTo(tx: Executor, organisationId: string, personId: string, now: Date = new Date()): Promise<number> {
  const open = await runStatusQuery(
    tx,
    sql`select * from (${personAssignmentsQuery({ organisationId: organisationId }, { now })}) s
        where s.person_id = ${personId} and s.person_status = 'active' and s.status in ('not-started', 'in-progress', 'overdue')`,
  );
  if (open.length === 0) return 0;
  const [recipient] = await tx
    .select({ email: user.email })
    .from(people)
    .innerJoin(user, eq(user.id, people.userId))
    .where(eq(people.id, personId));
  if (!recipient) return 0;
  const [org] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, organisationId));
  const titles = new Map(
    (await tx.select({ id: modules.id, title: modules.title }).from(modules).where(inArray(modules.id, [...new Set(open.map((r) => r.moduleId))]))).map((m) => [m.id, m.title]),
  );
  const orgName = org?.name ?? "Your organisation";
  let sent = 0;
  for (const row of open) {
    const claimed = await tx
      .insert(sentNotifications)
      .values({ key: noticeKey(row.assignmentId, personId) })
      .onConflictDoNothing()
      .returning({ key: sentNotifications.key });
    if (claimed.length === 0) continue;
    const title = titles.get(row.moduleId) ?? "a module";
    // Their own due date: a "within N days" assignment counts from when they joined.
    const due = row.due ? `by ${formatDate(`${row.due}T12:00:00Z`)}` : "with no due date";
    await enqueueEmail(tx, {
      to: recipient.email,
      kind: "assignment",
      subject: `New training from ${orgName}: ${title}`,
      ...composeEmail({
        heading: `New training: ${title}`,
        paragraphs: ["Hello,", `${orgName} has asked you to complete “${title}” on Distinct ${due}.`, "Your assigned training is at the top of My learning."],
        action: { label: "Go to My learning", url: `${getEnv().APP_URL}/learning` },
      }),
    });
    sent++;
  }
  return sent;
}

import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import {
  assignmentExtensions,
  assignmentPeople,
  assignments,
  modules,
  moduleVersions,
  organization,
  people,
  sentNotifications,
  team,
  user,
} from "#db/schema/index.ts";
import { addDays, londonDate, STATUS_LABELS, type AssignmentStatus } from "#app/utils/assignment-status.ts";
import type { Executor } from "#db/client.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { enqueueBulkEmailsTo, enqueueEmail, requestMailDrain } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { getEnv } from "#app/services/env.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { personAssignmentsQuery, runStatusQuery, type PersonAssignmentRow } from "./assignment-status.server.ts";
import { leadContacts } from "./people.server.ts";

export class AssignmentInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
export class AssignmentNotFoundError extends Error {}

export type NewAssignment = {
  moduleSlug: string;
  target: "organisation" | "team" | "people";
  teamId: string | null;
  personIds: string[];
  dueDate: string | null;
  dueDays: number | null;
  /** Completions of an earlier version do not count for this assignment (docs/decisions/036). */
  requiredVersion?: number | null;
};

const describeDue = (a: { dueDate: string | null; dueDays: number | null }) =>
  a.dueDate ? `by ${formatDate(`${a.dueDate}T12:00:00Z`)}` : a.dueDays !== null ? `within ${a.dueDays} days of being assigned` : "with no due date";

/**
 * Assigns a module to the whole organisation, a team or named people, and
 * mails the people assigned who have joined. Invited people are mailed when
 * they join, and people moved into the team when they move
 * (assignment-notice.server.ts). The team and people are checked to belong to
 * this organisation.
 */
export async function createAssignment(actor: AuditActor & { id: string; name: string }, organisationId: string, input: NewAssignment): Promise<string> {
  const db = getDb();
  const id = await db.transaction(async (tx) => {
    const [mod] = await tx
      .select({ id: modules.id, title: modules.title })
      .from(modules)
      .where(and(eq(modules.slug, input.moduleSlug), isNull(modules.retiredAt)));
    if (!mod) throw new AssignmentInputError("module", "Choose a module");
    if (input.target === "team") {
      const [found] = await tx.select({ id: team.id }).from(team).where(and(eq(team.id, input.teamId ?? ""), eq(team.organizationId, organisationId)));
      if (!found) throw new AssignmentInputError("teamId", "Choose a team");
    }
    let personIds: string[] = [];
    if (input.target === "people") {
      const unique = [...new Set(input.personIds)];
      const found = unique.length
        ? await tx
            .select({ id: people.id })
            .from(people)
            .where(and(eq(people.organizationId, organisationId), inArray(people.id, unique), sql`${people.status} <> 'left'`))
        : [];
      if (found.length === 0) throw new AssignmentInputError("personIds", "Choose at least one person");
      if (found.length !== unique.length) throw new AssignmentInputError("personIds", "Some of the people chosen are not in this organisation");
      personIds = found.map((p) => p.id);
    }
    const assignmentId = crypto.randomUUID();
    await tx.insert(assignments).values({
      id: assignmentId,
      organizationId: organisationId,
      moduleId: mod.id,
      target: input.target,
      teamId: input.target === "team" ? input.teamId : null,
      dueDate: input.dueDate,
      dueDays: input.dueDays,
      requiredVersion: input.requiredVersion ?? null,
      createdBy: actor.id,
    });
    if (personIds.length) await tx.insert(assignmentPeople).values(personIds.map((personId) => ({ assignmentId, personId })));
    await audit(tx, {
      actor,
      action: "assignment.created",
      organisationId,
      target: { type: "assignment", id: assignmentId },
      details: {
        module: input.moduleSlug,
        target: input.target,
        teamId: input.teamId,
        people: personIds.length,
        dueDate: input.dueDate,
        dueDays: input.dueDays,
        ...(input.requiredVersion ? { requiredVersion: input.requiredVersion } : {}),
      },
    });

    // One mail per active person assigned, written in one statement (an organisation may have tens of thousands).
    const [org] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, organisationId));
    const mail = composeEmail({
      heading: input.requiredVersion ? `Updated training: ${mod.title}` : `New training: ${mod.title}`,
      paragraphs: [
        "Hello,",
        input.requiredVersion
          ? `“${mod.title}” has been updated since you completed it. ${org?.name ?? "Your organisation"} has asked you to complete the new version (version ${input.requiredVersion}) on Distinct ${describeDue(input)}.`
          : `${org?.name ?? "Your organisation"} has asked you to complete “${mod.title}” on Distinct ${describeDue(input)}.`,
        "Your assigned training is at the top of My learning.",
      ],
      action: { label: "Go to My learning", url: `${getEnv().APP_URL}/learning` },
    });
    const subject = `${input.requiredVersion ? "Updated" : "New"} training from ${org?.name ?? "your organisation"}: ${mod.title}`;
    await enqueueBulkEmailsTo(
      tx,
      { subject, text: mail.text, html: mail.html, kind: "assignment" },
      sql`select u.email
      from ${people} p join ${user} u on u.id = p.user_id
      where p.organization_id = ${organisationId} and p.status = 'active'
        and (${input.target} = 'organisation'
          or (${input.target} = 'team' and p.team_id = ${input.teamId})
          or (${input.target} = 'people' and p.id in (select person_id from ${assignmentPeople} where assignment_id = ${assignmentId})))`,
    );
    // The same people, marked as told, so joining or moving team later does not tell them twice.
    await tx.execute(sql`
      insert into ${sentNotifications} (key)
      select 'assignment-notice:' || ${assignmentId} || ':' || p.id
      from ${people} p join ${user} u on u.id = p.user_id
      where p.organization_id = ${organisationId} and p.status = 'active'
        and (${input.target} = 'organisation'
          or (${input.target} = 'team' and p.team_id = ${input.teamId})
          or (${input.target} = 'people' and p.id in (select person_id from ${assignmentPeople} where assignment_id = ${assignmentId})))
      on conflict do nothing`);
    return assignmentId;
  });
  requestMailDrain();
  return id;
}

export async function withdrawAssignment(actor: AuditActor, organisationId: string, assignmentId: string) {
  await getDb().transaction(async (tx) => {
    const changed = await tx
      .update(assignments)
      .set({ withdrawnAt: new Date() })
      .where(and(eq(assignments.id, assignmentId), eq(assignments.organizationId, organisationId), isNull(assignments.withdrawnAt)))
      .returning({ id: assignments.id });
    if (changed.length === 0) throw new AssignmentNotFoundError();
    await audit(tx, { actor, action: "assignment.withdrawn", organisationId, target: { type: "assignment", id: assignmentId } });
  });
}

/** A later due date for one person on one assignment, with the reason. Audited. */
export async function extendDueDate(actor: AuditActor & { id: string }, organisationId: string, assignmentId: string, personId: string, dueDate: string, reason: string) {
  await getDb().transaction(async (tx) => {
    const [assignment] = await tx
      .select({ id: assignments.id })
      .from(assignments)
      .where(and(eq(assignments.id, assignmentId), eq(assignments.organizationId, organisationId), isNull(assignments.withdrawnAt)));
    const [person] = await tx.select({ id: people.id }).from(people).where(and(eq(people.id, personId), eq(people.organizationId, organisationId)));
    if (!assignment || !person) throw new AssignmentNotFoundError();
    if (dueDate < londonDate(new Date())) throw new AssignmentInputError("dueDate", "The new due date must be today or later");
    await tx.insert(assignmentExtensions).values({ assignmentId, personId, dueDate, reason, grantedBy: actor.id });
    await audit(tx, {
      actor,
      action: "assignment.extended",
      organisationId,
      target: { type: "assignment", id: assignmentId },
      details: { personId, dueDate, reason },
    });
  });
}

const isUuid = (v: string) => /^[0-9a-f-]{36}$/i.test(v);

/** An assignment as its list and its own page show it (with modules and team joined). */
const assignmentColumns = {
  id: assignments.id,
  moduleTitle: modules.title,
  moduleSlug: modules.slug,
  target: assignments.target,
  teamName: team.name,
  dueDate: assignments.dueDate,
  dueDays: assignments.dueDays,
};

/** The organisation's live assignments with how many people are assigned and done. */
export async function listAssignments(organisationId: string) {
  const db = getDb();
  // A grouped subquery joined on rather than a correlated one: drizzle drops
  // the table name from `${assignments.id}` in a select without joins, so a
  // correlated count is only right while this query happens to have joins.
  const named = db
    .select({ assignmentId: assignmentPeople.assignmentId, people: sql<number>`count(*)::int`.as("people") })
    .from(assignmentPeople)
    .innerJoin(assignments, eq(assignments.id, assignmentPeople.assignmentId))
    .where(eq(assignments.organizationId, organisationId))
    .groupBy(assignmentPeople.assignmentId)
    .as("named");
  const rows = await db
    .select({
      ...assignmentColumns,
      createdAt: assignments.createdAt,
      people: sql<number>`coalesce(${named.people}, 0)`.mapWith(Number),
    })
    .from(assignments)
    .innerJoin(modules, eq(modules.id, assignments.moduleId))
    .leftJoin(team, eq(team.id, assignments.teamId))
    .leftJoin(named, eq(named.assignmentId, assignments.id))
    .where(and(eq(assignments.organizationId, organisationId), isNull(assignments.withdrawnAt)))
    .orderBy(desc(assignments.createdAt));
  const counts = (await db.execute(sql`
    select assignment_id, status, count(*)::int as n
    from (${personAssignmentsQuery({ organisationId: organisationId })}) s
    group by assignment_id, status`)) as unknown as { rows: { assignment_id: string; status: AssignmentStatus; n: number }[] };
  return rows.map((r) => {
    const byStatus: Record<AssignmentStatus, number> = { "not-started": 0, "in-progress": 0, overdue: 0, completed: 0, expired: 0 };
    for (const c of counts.rows) if (c.assignment_id === r.id) byStatus[c.status] = c.n;
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return { ...r, due: describeDue(r), byStatus, total };
  });
}

/** One assignment and each person on it, with their due date and status. */
export async function getAssignment(organisationId: string, assignmentId: string) {
  if (!isUuid(assignmentId)) return null;
  const db = getDb();
  const [row] = await db
    .select({
      ...assignmentColumns,
      requiredVersion: assignments.requiredVersion,
      createdAt: assignments.createdAt,
    })
    .from(assignments)
    .innerJoin(modules, eq(modules.id, assignments.moduleId))
    .leftJoin(team, eq(team.id, assignments.teamId))
    .where(and(eq(assignments.id, assignmentId), eq(assignments.organizationId, organisationId), isNull(assignments.withdrawnAt)));
  if (!row) return null;
  const statuses = await runStatusQuery(db, sql`select * from (${personAssignmentsQuery({ organisationId: organisationId })}) s where s.assignment_id = ${assignmentId}`);
  const ids = statuses.map((s) => s.personId);
  const names = ids.length
    ? await db
        .select({ id: people.id, name: people.name, email: people.email, staffNumber: people.staffNumber })
        .from(people)
        .where(and(eq(people.organizationId, organisationId), inArray(people.id, ids)))
    : [];
  const byId = new Map(names.map((n) => [n.id, n]));
  const list = statuses
    .map((s) => ({ ...s, person: byId.get(s.personId)! }))
    .sort((a, b) => a.person.name.localeCompare(b.person.name, "en-GB"));
  return { ...row, due: describeDue(row), people: list };
}

export type LearnerAssignment = {
  assignmentId: string;
  organisation: string;
  slug: string;
  title: string;
  due: string | null;
  status: AssignmentStatus;
  statusLabel: string;
};

/** A learner's assigned modules across their organisations, most urgent first. */
export async function learnerAssignments(userId: string): Promise<LearnerAssignment[]> {
  const db = getDb();
  const rows = await runStatusQuery(db, personAssignmentsQuery({ userId }));
  if (rows.length === 0) return [];
  const moduleRows = await db
    .select({ id: modules.id, slug: modules.slug, title: modules.title })
    .from(modules)
    .where(inArray(modules.id, [...new Set(rows.map((r) => r.moduleId))]));
  const orgRows = await db
    .select({ id: organization.id, name: organization.name })
    .from(organization)
    .where(inArray(organization.id, [...new Set(rows.map((r) => r.organisationId))]));
  const moduleById = new Map(moduleRows.map((m) => [m.id, m]));
  const orgById = new Map(orgRows.map((o) => [o.id, o.name]));
  const rank: Record<AssignmentStatus, number> = { overdue: 0, expired: 1, "in-progress": 2, "not-started": 3, completed: 4 };
  // The same module assigned twice (two organisations, or organisation and team): as the report
  // (docs/decisions/036), the one asking for the newest version, then the earliest due.
  const byModule = new Map<string, PersonAssignmentRow>();
  for (const r of rows) {
    const seen = byModule.get(r.moduleId);
    const newer = (r.requiredVersion ?? 0) - (seen?.requiredVersion ?? 0);
    if (!seen || newer > 0 || (newer === 0 && (r.due ?? "9999") < (seen.due ?? "9999"))) byModule.set(r.moduleId, r);
  }
  return [...byModule.values()]
    .map((r) => ({
      assignmentId: r.assignmentId,
      organisation: orgById.get(r.organisationId) ?? "",
      slug: moduleById.get(r.moduleId)?.slug ?? "",
      title: moduleById.get(r.moduleId)?.title ?? "",
      due: r.due,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
    }))
    .sort((a, b) => rank[a.status] - rank[b.status] || (a.due ?? "9999").localeCompare(b.due ?? "9999"));
}

/** Which organisation a learner's new enrolment on a module is for: one that assigned it, else their only one. */
export async function organisationForEnrolment(userId: string, moduleId: string): Promise<string | null> {
  const rows = await runStatusQuery(getDb(), personAssignmentsQuery({ userId }));
  const assigned = rows.find((r) => r.moduleId === moduleId);
  if (assigned) return assigned.organisationId;
  const memberships = await getDb()
    .select({ organizationId: people.organizationId })
    .from(people)
    .where(and(eq(people.userId, userId), eq(people.status, "active")));
  return memberships.length === 1 ? memberships[0]!.organizationId : null;
}

/**
 * Learners' reminders: 7 days before the due date, and once it is overdue.
 * Keyed by assignment, person and due date, so each goes once (an extension
 * brings a new due date, and so new reminders).
 */
export async function sendDueReminders(now: Date = new Date()): Promise<{ sent: number }> {
  const db = getDb();
  const today = londonDate(now);
  const soon = addDays(today, 7);
  const candidates = await allOrganisationsDue(now, today, soon);
  let sent = 0;
  for (const c of candidates) {
    const kind = c.status === "overdue" ? "overdue" : "due-soon";
    const key = `assignment-${kind}:${c.assignmentId}:${c.personId}:${c.due}`;
    await db.transaction(async (tx) => {
      const claimed = await tx.insert(sentNotifications).values({ key }).onConflictDoNothing().returning({ key: sentNotifications.key });
      if (claimed.length === 0) return;
      const due = formatDate(`${c.due}T12:00:00Z`);
      await enqueueEmail(tx, {
        to: c.email,
        kind: `assignment-${kind}`,
        priority: "bulk",
        subject: kind === "overdue" ? `Overdue: ${c.title}` : `Due on ${due}: ${c.title}`,
        ...composeEmail({
          heading: kind === "overdue" ? `“${c.title}” is overdue` : `“${c.title}” is due on ${due}`,
          paragraphs: [
            `Hello ${c.name},`,
            kind === "overdue"
              ? `${c.organisation} asked you to complete “${c.title}” by ${due}. It is now overdue: please complete it as soon as you can, or ask your training lead about an extension.`
              : `${c.organisation} has asked you to complete “${c.title}” by ${due}.`,
          ],
          action: { label: "Go to My learning", url: `${getEnv().APP_URL}/learning` },
        }),
      });
      sent++;
    });
  }
  return { sent };
}

async function allOrganisationsDue(now: Date, today: string, soon: string) {
  const db = getDb();
  const orgs = await db.select({ id: organization.id, name: organization.name }).from(organization);
  const out: { assignmentId: string; personId: string; due: string; status: AssignmentStatus; email: string; name: string; title: string; organisation: string }[] = [];
  for (const org of orgs) {
    const rows = await runStatusQuery(
      db,
      sql`select * from (${personAssignmentsQuery({ organisationId: org.id }, { now })}) s
          where s.person_status = 'active' and s.due is not null
            and (s.status = 'overdue' or (s.status in ('not-started', 'in-progress') and s.due::date between ${today}::date and ${soon}::date))`,
    );
    if (rows.length === 0) continue;
    const userIds = [...new Set(rows.map((r) => r.userId).filter((u): u is string => !!u))];
    const users = await db.select({ id: user.id, email: user.email, name: user.name }).from(user).where(inArray(user.id, userIds));
    const mods = await db.select({ id: modules.id, title: modules.title }).from(modules).where(inArray(modules.id, [...new Set(rows.map((r) => r.moduleId))]));
    const userById = new Map(users.map((u) => [u.id, u]));
    const modById = new Map(mods.map((m) => [m.id, m.title]));
    for (const r of rows) {
      const u = r.userId ? userById.get(r.userId) : undefined;
      if (!u || !r.due) continue;
      out.push({ assignmentId: r.assignmentId, personId: r.personId, due: r.due, status: r.status, email: u.email, name: u.name, title: modById.get(r.moduleId) ?? "", organisation: org.name });
    }
  }
  return out;
}

/**
 * ISO week of a moment in England, e.g. 2026-W48: the key of the weekly
 * digest and export. Counted on the London calendar date, so Monday 00:30 in
 * British Summer Time (Sunday 23:30 UTC) is already the new week.
 */
export function isoWeek(date: Date): string {
  const d = new Date(`${londonDate(date)}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * The weekly overdue digest to each organisation's training leads: how many
 * people are overdue on each module, once per London ISO week per
 * organisation. Sent by the first run of each week: Monday just after
 * midnight, London time, where the jobs run every minute; later in the week
 * if none ran before (or nobody was overdue until then).
 */
export async function sendWeeklyOverdueDigest(now: Date = new Date()): Promise<{ sent: number }> {
  const db = getDb();
  const week = isoWeek(now);
  const orgs = await db.select({ id: organization.id, name: organization.name, slug: organization.slug }).from(organization);
  let sent = 0;
  for (const org of orgs) {
    const counts = (await db.execute(sql`
      select m.title, count(*)::int as n
      from (${personAssignmentsQuery({ organisationId: org.id }, { now })}) s
      join ${modules} m on m.id = s.module_id
      where s.status = 'overdue'
      group by m.title order by n desc, m.title`)) as unknown as { rows: { title: string; n: number }[] };
    if (counts.rows.length === 0) continue;
    const key = `overdue-digest:${org.id}:${week}`;
    await db.transaction(async (tx) => {
      const claimed = await tx.insert(sentNotifications).values({ key }).onConflictDoNothing().returning({ key: sentNotifications.key });
      if (claimed.length === 0) return;
      const total = counts.rows.reduce((a, r) => a + r.n, 0);
      for (const lead of await leadContacts(tx, org.id)) {
        await enqueueEmail(tx, {
          to: lead.email,
          kind: "overdue-digest",
          priority: "bulk",
          subject: `${org.name}: ${total} overdue assignment${total === 1 ? "" : "s"} this week`,
          ...composeEmail({
            heading: `Overdue training at ${org.name}`,
            paragraphs: [
              `Hello ${lead.name},`,
              `This week ${total} assigned module${total === 1 ? " is" : "s are"} overdue:`,
              ...counts.rows.map((r) => `${r.title}: ${r.n} ${r.n === 1 ? "person" : "people"}`),
              "The reports page lists who, with their due dates; you can grant extensions from each assignment.",
            ],
            action: { label: "See who is overdue", url: `${getEnv().APP_URL}/org/${org.slug}/reports?status=overdue` },
          }),
        });
        sent++;
      }
    });
  }
  return { sent };
}

/** Teams and people for the assignment form, scoped to the organisation. */
export async function assignmentFormOptions(organisationId: string) {
  const db = getDb();
  const [mods, teams, persons] = await Promise.all([
    db.select({ slug: modules.slug, title: modules.title }).from(modules).where(isNull(modules.retiredAt)).orderBy(asc(modules.sortOrder)),
    db.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, organisationId)).orderBy(asc(team.name)),
    db
      .select({ id: people.id, name: people.name, email: people.email })
      .from(people)
      .where(and(eq(people.organizationId, organisationId), sql`${people.status} <> 'left'`))
      .orderBy(asc(people.name))
      .limit(2000),
  ]);
  return { modules: mods, teams, people: persons };
}

/**
 * Resolves "named people" typed by a training lead (emails or staff numbers,
 * one per line) to people of this organisation. Returns the ids and the lines
 * that match nobody.
 */
export async function resolvePeopleList(organisationId: string, text: string): Promise<{ ids: string[]; unknown: string[] }> {
  const entries = [...new Set(text.split(/[\n,;]+/).map((e) => e.trim()).filter(Boolean))].slice(0, 5000);
  if (entries.length === 0) return { ids: [], unknown: [] };
  const emails = entries.filter((e) => e.includes("@")).map((e) => e.toLowerCase());
  const numbers = entries.filter((e) => !e.includes("@")).map((e) => e.toUpperCase().replace(/\s+/g, " "));
  const rows = await getDb()
    .select({ id: people.id, email: people.email, staffNumber: people.staffNumber })
    .from(people)
    .where(
      and(
        eq(people.organizationId, organisationId),
        sql`${people.status} <> 'left'`,
        // Not `= any(${array})`: drizzle spreads a JS array into a parenthesised list of
        // parameters, which `any` cannot take (every such list answered 500). inArray
        // writes `in ($1, $2, ...)`, and an empty side is simply left out.
        or(emails.length ? inArray(people.email, emails) : undefined, numbers.length ? inArray(people.staffNumber, numbers) : undefined),
      ),
    );
  const found = new Set([...rows.map((r) => r.email), ...rows.map((r) => r.staffNumber ?? "")]);
  const unknown = [...emails.filter((e) => !found.has(e)), ...numbers.filter((n) => !found.has(n))];
  return { ids: rows.map((r) => r.id), unknown };
}

export async function assignmentExists(organisationId: string, assignmentId: string): Promise<boolean> {
  if (!isUuid(assignmentId)) return false;
  const [row] = await getDb()
    .select({ id: assignments.id })
    .from(assignments)
    .where(and(eq(assignments.id, assignmentId), eq(assignments.organizationId, organisationId), isNull(assignments.withdrawnAt)));
  return !!row;
}

export type OlderVersionCompleters = {
  moduleSlug: string;
  moduleTitle: string;
  currentVersion: number;
  /** Whether any version after the oldest of theirs was a material change. */
  materialSince: boolean;
  people: { id: string; name: string; completedVersion: number; status: "invited" | "active" | "left" }[];
};

/**
 * The people of an organisation assigned a module whose latest completion is
 * of a version older than the current one, and who are not already assigned
 * the current version: those a training lead may assign the new version to
 * (docs/decisions/036). People who have left are not included.
 */
export async function olderVersionCompleters(organisationId: string, moduleSlug: string, db: Executor = getDb()): Promise<OlderVersionCompleters | null> {
  const [mod] = await db
    .select({ id: modules.id, slug: modules.slug, title: modules.title, currentVersion: moduleVersions.version })
    .from(modules)
    .innerJoin(moduleVersions, eq(moduleVersions.id, modules.currentVersionId))
    .where(and(eq(modules.slug, moduleSlug), isNull(modules.retiredAt)));
  if (!mod) return null;
  const result = (await db.execute(sql`
    select r.person_id as id, r.person_name as name, r.last_completed_version as completed_version, r.person_status as status
    from report_rows r
    join assignments a on a.id = r.assignment_id
    where r.organization_id = ${organisationId} and r.module_id = ${mod.id} and r.person_status <> 'left'
      and r.last_completed_version < ${mod.currentVersion}
      and coalesce(a.required_version, 0) < ${mod.currentVersion}
    order by r.sort_name, r.person_id`)) as unknown as { rows: { id: string; name: string; completed_version: number; status: "invited" | "active" | "left" }[] };
  const people = result.rows.map((r) => ({ id: r.id, name: r.name, completedVersion: Number(r.completed_version), status: r.status }));
  const oldest = people.reduce((min, p) => Math.min(min, p.completedVersion), mod.currentVersion);
  const [material] = await db
    .select({ id: moduleVersions.id })
    .from(moduleVersions)
    .where(and(eq(moduleVersions.moduleId, mod.id), gt(moduleVersions.version, oldest), lte(moduleVersions.version, mod.currentVersion), eq(moduleVersions.materialChange, true)))
    .limit(1);
  return { moduleSlug: mod.slug, moduleTitle: mod.title, currentVersion: mod.currentVersion, materialSince: !!material, people };
}

/**
 * Assigns the module's current version to exactly the people
 * olderVersionCompleters() names, as one assignment of named people that
 * completions of earlier versions do not meet. `expectedVersion` is the
 * version the lead confirmed: if another was published meanwhile, nothing is
 * assigned (they confirm again). Returns the assignment and how many people.
 */
export async function assignNewVersion(
  actor: AuditActor & { id: string; name: string },
  organisationId: string,
  input: { moduleSlug: string; expectedVersion: number; dueDate: string | null },
): Promise<{ assignmentId: string; people: number }> {
  const found = await olderVersionCompleters(organisationId, input.moduleSlug);
  if (!found) throw new AssignmentInputError("module", "Choose a module");
  if (found.currentVersion !== input.expectedVersion) {
    throw new AssignmentInputError("version", `Version ${found.currentVersion} of “${found.moduleTitle}” has been published since you looked. Check who completed an older version, then assign again.`);
  }
  if (found.people.length === 0) throw new AssignmentInputError("people", `No one here still has only an older version of “${found.moduleTitle}” and no assignment of version ${found.currentVersion}.`);
  const assignmentId = await createAssignment(actor, organisationId, {
    moduleSlug: input.moduleSlug,
    target: "people",
    teamId: null,
    personIds: found.people.map((p) => p.id),
    dueDate: input.dueDate,
    dueDays: null,
    requiredVersion: found.currentVersion,
  });
  return { assignmentId, people: found.people.length };
}

/** Per module, how many people olderVersionCompleters() would name: what the report offers to assign. */
export async function olderVersionCounts(organisationId: string, db: Executor = getDb()): Promise<{ slug: string; title: string; currentVersion: number; people: number }[]> {
  const result = (await db.execute(sql`
    select m.slug, m.title, cv.version as current_version, count(*)::int as people
    from report_rows r
    join modules m on m.id = r.module_id and m.retired_at is null
    join module_versions cv on cv.id = m.current_version_id
    join assignments a on a.id = r.assignment_id
    where r.organization_id = ${organisationId} and r.person_status <> 'left'
      and r.last_completed_version < cv.version and coalesce(a.required_version, 0) < cv.version
    group by m.slug, m.title, cv.version, m.sort_order
    order by m.sort_order, m.title`)) as unknown as { rows: { slug: string; title: string; current_version: number; people: number }[] };
  return result.rows.map((r) => ({ slug: r.slug, title: r.title, currentVersion: Number(r.current_version), people: Number(r.people) }));
}

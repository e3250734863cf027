import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import type { AssignmentStatus } from "#app/utils/assignment-status.ts";

/**
 * Everyone's status on every live assignment, in SQL: the same rules as
 * app/utils/assignment-status.ts (a test checks they agree), for pages and
 * reports that need whole organisations at once. One row per (assignment, person).
 */
export type PersonAssignmentRow = {
  assignmentId: string;
  organisationId: string;
  moduleId: string;
  personId: string;
  userId: string | null;
  personStatus: "invited" | "active" | "left";
  assignedAt: Date;
  due: string | null;
  extended: boolean;
  status: AssignmentStatus;
  completedAt: Date | null;
  completedVersion: number | null;
  /** The version this assignment asks for, if any (docs/decisions/036). */
  requiredVersion: number | null;
  certificateCode: string | null;
  certificateExpiresAt: Date | null;
  score: number | null;
  startedAt: Date | null;
};

export type StatusScope = { organisationId: string } | { userId: string };

/**
 * The CTE body. `scope` limits it to one organisation (reports, training
 * leads) or to one learner across their organisations (/learning). `now` is
 * the moment the statuses are for, sent as a parameter rather than the
 * database's now(), so the scheduled jobs can run at a chosen date
 * (`npm run jobs -- --at`) and tests can put a date either side of a boundary.
 */
export function personAssignmentsQuery(scope: StatusScope, options: { includeLeft?: boolean; now?: Date } = {}): SQL {
  const now = (options.now ?? new Date()).toISOString();
  const scopeCondition =
    "organisationId" in scope ? sql`a.organization_id = ${scope.organisationId}` : sql`p.user_id = ${scope.userId}`;
  const leftCondition = options.includeLeft ? sql`true` : sql`p.status <> 'left'`;
  return sql`
    with targets as (
      select a.id as assignment_id, a.organization_id, a.module_id, a.due_date, a.due_days, a.required_version, a.created_at as assigned_at,
             p.id as person_id, p.user_id, p.status as person_status,
             -- Anonymised people keep their training through former_user_id (docs/decisions/020).
             coalesce(p.user_id, p.former_user_id) as link_user_id, p.anonymised_at is not null as anonymised,
             greatest(a.created_at, coalesce(p.joined_at, p.invited_at, p.created_at)) as since
      from assignments a
      join people p on p.organization_id = a.organization_id
      where ${scopeCondition} and a.withdrawn_at is null and ${leftCondition}
        and (a.target = 'organisation'
          or (a.target = 'team' and p.team_id = a.team_id)
          or (a.target = 'people' and exists (select 1 from assignment_people ap where ap.assignment_id = a.id and ap.person_id = p.id)))
    ),
    dues as (
      select t.*, x.due_date as extended_to,
        coalesce(x.due_date, t.due_date,
          case when t.due_days is not null then ((t.since at time zone 'Europe/London')::date + t.due_days) end) as due
      from targets t
      left join lateral (
        select e.due_date from assignment_extensions e
        where e.assignment_id = t.assignment_id and e.person_id = t.person_id
        order by e.created_at desc limit 1
      ) x on true
    ),
    learning as (
      select d.*, lc.completed_at, lc.version as completed_version, lc.cert_code, lc.cert_expires, lc.cert_revoked, lc.score,
             op.started_at as open_started
      from dues d
      left join lateral (
        select e.completed_at, mv.version, c.code as cert_code, c.expires_at as cert_expires,
               (c.revoked_at is not null) as cert_revoked, c.score_percent as score
        from enrolments e
        join module_versions mv on mv.id = e.module_version_id
        left join certificates c on c.enrolment_id = e.id
        where e.user_id = d.link_user_id and e.module_id = d.module_id and e.completed_at is not null
          -- An assignment of a new version is not met by completing an older one (docs/decisions/036).
          and mv.version >= coalesce(d.required_version, 0)
        order by e.completed_at desc limit 1
      ) lc on true
      left join lateral (
        select e.started_at from enrolments e
        where e.user_id = d.link_user_id and e.module_id = d.module_id and e.completed_at is null
        limit 1
      ) op on true
    )
    select assignment_id, organization_id, module_id, person_id, user_id, person_status, assigned_at, required_version,
           due::text as due, (extended_to is not null) as extended,
           completed_at, completed_version, case when anonymised then null else cert_code end as cert_code, cert_expires, score, open_started,
           case
             when completed_at is not null and not coalesce(cert_revoked, false)
                  and (cert_expires is null or cert_expires > ${now}::timestamptz) then 'completed'
             when completed_at is not null and not coalesce(cert_revoked, false) and open_started is null then 'expired'
             when due is not null and (${now}::timestamptz at time zone 'Europe/London')::date > due then 'overdue'
             when open_started is not null then 'in-progress'
             else 'not-started'
           end as status
    from learning`;
}

type RawRow = {
  assignment_id: string;
  organization_id: string;
  module_id: string;
  person_id: string;
  user_id: string | null;
  person_status: "invited" | "active" | "left";
  assigned_at: Date | string;
  due: string | null;
  extended: boolean;
  completed_at: Date | string | null;
  completed_version: number | null;
  required_version: number | null;
  cert_code: string | null;
  cert_expires: Date | string | null;
  score: number | null;
  open_started: Date | string | null;
  status: AssignmentStatus;
};

const toDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

export function mapRow(r: RawRow): PersonAssignmentRow {
  return {
    assignmentId: r.assignment_id,
    organisationId: r.organization_id,
    moduleId: r.module_id,
    personId: r.person_id,
    userId: r.user_id,
    personStatus: r.person_status,
    assignedAt: toDate(r.assigned_at)!,
    due: r.due,
    extended: r.extended,
    status: r.status,
    completedAt: toDate(r.completed_at),
    completedVersion: r.completed_version,
    requiredVersion: r.required_version === null ? null : Number(r.required_version),
    certificateCode: r.cert_code,
    certificateExpiresAt: toDate(r.cert_expires),
    score: r.score,
    startedAt: toDate(r.open_started),
  };
}

/** Runs the query (optionally wrapped: `select ... from (<query>) s where ...`). */
export async function runStatusQuery(db: Executor, query: SQL): Promise<PersonAssignmentRow[]> {
  const result = (await db.execute(query)) as unknown as { rows: RawRow[] };
  return result.rows.map(mapRow);
}

import { asc, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "#db/client.ts";
import { modules } from "#db/schema/index.ts";
import { buildConfusionMatrix, SUPPRESSION_THRESHOLD, type ConfusionMatrix } from "#app/utils/confusion.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { isOffence, type Offence } from "#app/utils/offences.ts";
import { londonDate, monthStart, nextMonth } from "#app/utils/assignment-status.ts";

/**
 * What learners answer to classify questions, counted: the confusion matrix
 * (an organisation's, or the whole platform's), which questions are most
 * often misclassified, and completion across organisations. Only counts
 * leave this file; small numbers are withheld by app/utils/confusion.ts.
 */

/** One organisation's answers, or every answer on the platform (learners in no organisation included). */
export type ConfusionScope = { organisationId: string } | { all: true };
export type ConfusionOptions = { moduleId?: string; from?: Date };

type AnswerCount = { moduleId: string; questionId: string; expected: string; chosen: string; n: number };


/**
 * Answers counted by module, question, right and chosen offence, from
 * classify_counts (grouped by London month answered). A "from" moment cuts
 * its month in two: the part of that month on or after it is counted from
 * classify_answers itself, the later months from the counts.
 */
async function answerCounts(scope: ConfusionScope, options: ConfusionOptions, db: Executor): Promise<AnswerCount[]> {
  const counted: SQL[] = [];
  const raw: SQL[] = [];
  if ("organisationId" in scope) {
    // An empty id would be a caller's bug; never let it widen the scope.
    if (!scope.organisationId) throw new Error("confusionMatrix: organisationId is empty");
    counted.push(sql`c.organization_id = ${scope.organisationId}`);
    raw.push(sql`a.organization_id = ${scope.organisationId}`);
  }
  if (options.moduleId) {
    counted.push(sql`c.module_id = ${options.moduleId}`);
    raw.push(sql`mv.module_id = ${options.moduleId}`);
  }
  let partMonth = sql``;
  if (options.from) {
    const month = monthStart(londonDate(options.from));
    counted.push(sql`c.answered_month > ${month}::date`);
    raw.push(sql`a.answered_at >= ${options.from.toISOString()}::timestamptz`);
    raw.push(sql`a.answered_at < (${nextMonth(month)}::timestamp at time zone 'Europe/London')`);
    partMonth = sql`
      union all
      select mv.module_id, a.question_id, a.expected, a.chosen, 1
      from classify_answers a join module_versions mv on mv.id = a.module_version_id
      where ${sql.join(raw, sql` and `)}`;
  }
  const where = counted.length ? sql`where ${sql.join(counted, sql` and `)}` : sql``;
  const result = (await db.execute(sql`
    select module_id, question_id, expected, chosen, sum(n)::int as n from (
      select c.module_id, c.question_id, c.expected, c.chosen, c.n from classify_counts c ${where}
      ${partMonth}
    ) u
    group by 1, 2, 3, 4
    having sum(n) <> 0`)) as unknown as { rows: { module_id: string; question_id: string; expected: string; chosen: string; n: number }[] };
  return result.rows.map((r) => ({ moduleId: r.module_id, questionId: r.question_id, expected: r.expected, chosen: r.chosen, n: Number(r.n) }));
}

/** The confusion matrix of a scope, summed from classify_counts. */
export async function confusionMatrix(scope: ConfusionScope, options: ConfusionOptions = {}, db: Executor = getDb()): Promise<ConfusionMatrix> {
  const cells = new Map<string, { expected: string; chosen: string; n: number }>();
  for (const c of await answerCounts(scope, options, db)) {
    const key = `${c.expected}\u0000${c.chosen}`;
    const cell = cells.get(key) ?? cells.set(key, { expected: c.expected, chosen: c.chosen, n: 0 }).get(key)!;
    cell.n += c.n;
  }
  return buildConfusionMatrix([...cells.values()]);
}

/**
 * Folds the confusion counts' deltas (the compact-report-counts job), when
 * there are more than twice as many rows as keys; returns the rows removed.
 */
export async function compactClassifyCounts(db: Executor = getDb(), options: { always?: boolean } = {}): Promise<number> {
  if (!options.always) {
    const check = (await db.execute(sql`
      select count(*) > 2 * count(distinct (organization_id, module_id, question_id, expected, chosen, answered_month)) as due
      from classify_counts`)) as unknown as { rows: { due: boolean }[] };
    if (!check.rows[0]?.due) return 0;
  }
  const result = (await db.execute(sql`select compact_classify_counts() as folded`)) as unknown as { rows: { folded: number }[] };
  return Number(result.rows[0]?.folded ?? 0);
}

export type QuestionInsight = {
  moduleId: string;
  moduleTitle: string;
  questionId: string;
  /** The start of the scenario, from the latest version that has the question. */
  excerpt: string;
  /** The right answer in that version. */
  expected: Offence | null;
  /** Fewer than SUPPRESSION_THRESHOLD answers: no figures. */
  suppressed: boolean;
  answers: number | null;
  /** 0–1. */
  shareCorrect: number | null;
  shareMisclassified: number | null;
  /** The wrong answer chosen most often, with its share of all the question's answers. */
  commonestWrong: { chosen: Offence; share: number } | null;
};

const ScenarioRow = z.object({ module_id: z.string(), question_id: z.string(), scenario: z.string().nullable(), answer: z.string().nullable() });

export function excerpt(text: string, max = 140): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

/**
 * Per classify question across all organisations: answers, share right, the
 * commonest wrong answer, sorted by share misclassified (worst first), with
 * questions under the threshold last and without figures.
 */
export async function questionInsight(options: ConfusionOptions = {}, db: Executor = getDb()): Promise<QuestionInsight[]> {
  const answers = await answerCounts({ all: true }, options, db);
  if (answers.length === 0) return [];
  const titles = new Map(
    (
      await db
        .select({ id: modules.id, title: modules.title })
        .from(modules)
        .where(inArray(modules.id, [...new Set(answers.map((a) => a.moduleId))]))
    ).map((m) => [m.id, m.title]),
  );
  const counts = answers.map((a) => ({ ...a, moduleTitle: titles.get(a.moduleId) ?? a.moduleId }));
  if (counts.length === 0) return [];

  // The scenario and right answer from the newest version holding each question;
  // only those two fields leave the database, never the rest of the bank.
  const moduleIds = [...new Set(counts.map((c) => c.moduleId))];
  const scenarios = await db.execute(sql`
    select distinct on (mv.module_id, q.value->>'id')
      mv.module_id, q.value->>'id' as question_id, q.value->>'scenario' as scenario, q.value->>'answer' as answer
    from module_versions mv
    cross join lateral jsonb_array_elements(coalesce(mv.quiz->'questions', '[]'::jsonb)) as q(value)
    where mv.module_id in (${sql.join(
      moduleIds.map((id) => sql`${id}`),
      sql`, `,
    )}) and q.value->>'type' = 'classify'
    order by mv.module_id, q.value->>'id', mv.version desc`);
  const scenarioRows = z.object({ rows: z.array(ScenarioRow) }).parse(scenarios).rows;
  const scenarioOf = new Map(scenarioRows.map((r) => [`${r.module_id}\u0000${r.question_id}`, r]));

  type Tally = { moduleId: string; moduleTitle: string; questionId: string; total: number; correct: number; wrong: Map<Offence, number> };
  const tallies = new Map<string, Tally>();
  for (const c of counts) {
    const key = `${c.moduleId}\u0000${c.questionId}`;
    const tally = tallies.get(key) ?? { moduleId: c.moduleId, moduleTitle: c.moduleTitle, questionId: c.questionId, total: 0, correct: 0, wrong: new Map() };
    tally.total += c.n;
    if (c.chosen === c.expected) tally.correct += c.n;
    else if (isOffence(c.chosen)) tally.wrong.set(c.chosen, (tally.wrong.get(c.chosen) ?? 0) + c.n);
    tallies.set(key, tally);
  }

  const insights = [...tallies.entries()].map(([key, t]): QuestionInsight => {
    const scenario = scenarioOf.get(key);
    const base = {
      moduleId: t.moduleId,
      moduleTitle: t.moduleTitle,
      questionId: t.questionId,
      excerpt: scenario?.scenario ? excerpt(scenario.scenario) : "(no longer in the question bank)",
      expected: isOffence(scenario?.answer) ? scenario.answer : null,
    };
    if (t.total < SUPPRESSION_THRESHOLD) {
      return { ...base, suppressed: true, answers: null, shareCorrect: null, shareMisclassified: null, commonestWrong: null };
    }
    let commonestWrong: QuestionInsight["commonestWrong"] = null;
    for (const [chosen, n] of t.wrong) if (!commonestWrong || n / t.total > commonestWrong.share) commonestWrong = { chosen, share: n / t.total };
    return {
      ...base,
      suppressed: false,
      answers: t.total,
      shareCorrect: t.correct / t.total,
      shareMisclassified: 1 - t.correct / t.total,
      commonestWrong,
    };
  });
  return insights.sort(
    (a, b) =>
      Number(a.suppressed) - Number(b.suppressed) ||
      (b.shareMisclassified ?? 0) - (a.shareMisclassified ?? 0) ||
      (b.answers ?? 0) - (a.answers ?? 0) ||
      a.moduleTitle.localeCompare(b.moduleTitle, "en-GB") ||
      a.questionId.localeCompare(b.questionId),
  );
}

export type CompletionFigures = { people: number; assigned: number; completed: number };
export type OrganisationCompletion = CompletionFigures & { organizationId: string; name: string };
export type ModuleCompletion = Omit<CompletionFigures, "people"> & { moduleId: string; title: string; organisations: number };

/**
 * Completion from the report table (report_rows: one row per organisation,
 * person and assigned module): "assigned" counts person–module pairs,
 * "completed" those with a completion whose certificate is not revoked;
 * people who have left are not counted. Per organisation, per module across
 * all organisations, and in total.
 */
export async function completionByOrganisation(db: Executor = getDb()): Promise<{
  totals: CompletionFigures & { organisations: number };
  organisations: OrganisationCompletion[];
  modules: ModuleCompletion[];
}> {
  const Row = z.object({ id: z.string(), name: z.string(), people: z.coerce.number(), assigned: z.coerce.number(), completed: z.coerce.number() });
  const completed = sql`count(*) filter (where r.completed_at is not null and not r.certificate_revoked)::int`;
  const byOrganisation = await db.execute(sql`
    select r.organization_id as id, o.name, count(distinct r.person_id)::int as people, count(*)::int as assigned, ${completed} as completed
    from report_rows r
    join organization o on o.id = r.organization_id
    where r.person_status <> 'left'
    group by r.organization_id, o.name
    order by o.name, r.organization_id`);
  const byModule = await db.execute(sql`
    select r.module_id as id, m.title as name, count(distinct r.organization_id)::int as people, count(*)::int as assigned, ${completed} as completed
    from report_rows r
    join modules m on m.id = r.module_id
    where r.person_status <> 'left'
    group by r.module_id, m.title, m.sort_order
    order by m.sort_order, m.title`);
  const organisations = z
    .object({ rows: z.array(Row) })
    .parse(byOrganisation)
    .rows.map((r) => ({ organizationId: r.id, name: r.name, people: r.people, assigned: r.assigned, completed: r.completed }));
  const moduleRows = z
    .object({ rows: z.array(Row) })
    .parse(byModule)
    .rows.map((r) => ({ moduleId: r.id, title: r.name, organisations: r.people, assigned: r.assigned, completed: r.completed }));
  const sum = (key: keyof CompletionFigures) => organisations.reduce((total, o) => total + o[key], 0);
  return {
    totals: { organisations: organisations.length, people: sum("people"), assigned: sum("assigned"), completed: sum("completed") },
    organisations,
    modules: moduleRows,
  };
}

/** Every module, for the insight filter (retired ones too: their answers still count). */
export async function insightModules(db: Executor = getDb()) {
  return db
    .select({ id: modules.id, slug: modules.slug, title: modules.title })
    .from(modules)
    .orderBy(asc(modules.sortOrder), asc(modules.title));
}

import { asc, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { modules, moduleVersions } from "#db/schema/index.ts";
import type { Question } from "#app/content/schema.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { isOffence, OFFENCE_LABELS } from "#app/utils/offences.ts";
import { questionFigures, type QuestionFigures } from "#app/utils/question-statistics.ts";

/**
 * Question statistics for authors, per module version and question
 * (docs/decisions/030): counted in the database from submitted attempts'
 * stored results, so no attempt or learner leaves this file; small numbers
 * are withheld by app/utils/question-statistics.ts.
 */

export type QuestionStatisticsRow = {
  questionId: string;
  type: Question["type"];
  /** The scenario or prompt, shortened for a table. */
  text: string;
  figures: QuestionFigures;
  /** The wrong answer most chosen, in words (an offence's name or an option's text). */
  wrongLabel: string | null;
};

export type VersionStatistics = { version: number; publishedAt: Date; attempts: number; questions: QuestionStatisticsRow[] };

const shorten = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

type CountRow = { version_id: string; question_id: string; drawn: number; correct: number; discrimination: number | null };
type WrongRow = { version_id: string; question_id: string; choice: string; n: number };

/** Submitted attempts' results, one row per drawn question (alias r), of one module's versions. */
const RESULTS = sql`
  quiz_attempts a
  join module_versions mv on mv.id = a.module_version_id
  cross join lateral jsonb_to_recordset(a.results) as r("questionId" text, correct boolean, marks int, "maxMarks" int)`;
const ofModule = (moduleId: string) => sql`a.submitted_at is not null and a.results is not null and mv.module_id = ${moduleId}`;

async function counts(moduleId: string, db: Executor): Promise<CountRow[]> {
  const result = (await db.execute(sql`
    select a.module_version_id as version_id, r."questionId" as question_id, count(*)::int as drawn,
      sum(case when r.correct then 1 else 0 end)::int as correct,
      -- Corrected item-total correlation: this question's result against the attempt's score on the others.
      corr(
        case when r.correct then 1.0 else 0.0 end,
        case when a.max_marks - r."maxMarks" > 0 then (a.marks - r.marks)::float8 / (a.max_marks - r."maxMarks") end
      ) as discrimination
    from ${RESULTS}
    where ${ofModule(moduleId)}
    group by 1, 2`)) as unknown as { rows: CountRow[] };
  return result.rows.map((r) => ({ ...r, drawn: Number(r.drawn), correct: Number(r.correct), discrimination: r.discrimination === null ? null : Number(r.discrimination) }));
}

/** What wrong answers chose: the offence or option of classify and single questions, each option ticked of multiple ones. */
async function wrongChoices(moduleId: string, db: Executor): Promise<WrongRow[]> {
  const result = (await db.execute(sql`
    select a.module_version_id as version_id, r."questionId" as question_id, c.choice, count(*)::int as n
    from ${RESULTS}
    cross join lateral (
      select a.responses -> r."questionId" ->> 'choice' as choice
      union all
      select jsonb_array_elements_text(case when jsonb_typeof(a.responses -> r."questionId" -> 'choices') = 'array' then a.responses -> r."questionId" -> 'choices' else '[]'::jsonb end)
    ) c
    where ${ofModule(moduleId)} and not r.correct and c.choice is not null
    group by 1, 2, 3`)) as unknown as { rows: WrongRow[] };
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The wrong choices that count for a question: a multiple question's right options ticked in a wrong answer are not wrong. */
function isWrongChoice(question: Question, choice: string): boolean {
  if (question.type === "classify") return choice !== question.answer;
  return question.options.some((o) => o.id === choice && !o.correct);
}

function choiceLabel(question: Question, choice: string): string {
  if (question.type === "classify") return isOffence(choice) ? OFFENCE_LABELS[choice].short : choice;
  return question.options.find((o) => o.id === choice)?.text ?? choice;
}

export type ModuleStatistics = { slug: string; title: string; versions: VersionStatistics[] };

/** Every version of a module (newest first) with its questions' statistics, or null when there is no such module. */
export async function moduleQuestionStatistics(slug: string, db: Executor = getDb()): Promise<ModuleStatistics | null> {
  const [mod] = await db.select({ id: modules.id, slug: modules.slug, title: modules.title }).from(modules).where(eq(modules.slug, slug));
  if (!mod) return null;
  // The quiz bank holds the answer keys: it stays on the server, only words taken from it reach the page.
  const versions = await db
    .select({ id: moduleVersions.id, version: moduleVersions.version, publishedAt: moduleVersions.publishedAt, quiz: moduleVersions.quiz })
    .from(moduleVersions)
    .where(eq(moduleVersions.moduleId, mod.id))
    .orderBy(desc(moduleVersions.version));
  const [countRows, wrongRows, attemptRows] = await Promise.all([
    counts(mod.id, db),
    wrongChoices(mod.id, db),
    db.execute(sql`
      select a.module_version_id as version_id, count(*)::int as n from quiz_attempts a
      join module_versions mv on mv.id = a.module_version_id
      where a.submitted_at is not null and mv.module_id = ${mod.id} group by 1`) as unknown as Promise<{ rows: { version_id: string; n: number }[] }>,
  ]);
  return {
    slug: mod.slug,
    title: mod.title,
    versions: versions.map((v) => {
      const questions = (v.quiz?.questions ?? []).map((question): QuestionStatisticsRow => {
        const row = countRows.find((r) => r.version_id === v.id && r.question_id === question.id);
        // Most chosen first; ties go to the choice that sorts first, so the page is stable.
        const wrong =
          wrongRows
            .filter((w) => w.version_id === v.id && w.question_id === question.id && isWrongChoice(question, w.choice))
            .sort((a, b) => b.n - a.n || a.choice.localeCompare(b.choice))[0] ?? null;
        const figures = questionFigures({
          drawn: row?.drawn ?? 0,
          correct: row?.correct ?? 0,
          discrimination: row?.discrimination ?? null,
          wrong: wrong ? { key: wrong.choice, count: wrong.n } : null,
        });
        return {
          questionId: question.id,
          type: question.type,
          text: shorten(question.type === "classify" ? question.scenario : question.prompt),
          figures,
          wrongLabel: !figures.withheld && figures.wrong ? choiceLabel(question, figures.wrong.key) : null,
        };
      });
      return {
        version: v.version,
        publishedAt: v.publishedAt,
        attempts: Number(attemptRows.rows.find((r) => r.version_id === v.id)?.n ?? 0),
        questions,
      };
    }),
  };
}

export type StatisticsModule = { slug: string; title: string; versions: number; retired: boolean };

/** The modules an author can open statistics for, in catalogue order. */
export async function statisticsModules(db: Executor = getDb()): Promise<StatisticsModule[]> {
  const rows = await db
    .select({ slug: modules.slug, title: modules.title, retiredAt: modules.retiredAt, versions: sql<number>`(select count(*)::int from module_versions mv where mv.module_id = ${modules.id})` })
    .from(modules)
    .orderBy(asc(modules.sortOrder), asc(modules.title));
  return rows.map((r) => ({ slug: r.slug, title: r.title, versions: Number(r.versions), retired: r.retiredAt !== null }));
}

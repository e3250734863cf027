import { renderMdxToHtml } from "#app/content/render-mdx.server.tsx";
import { isModuleComplete, nextStep, percentComplete } from "#app/utils/progress.ts";
import { findEnrolment } from "./enrolment.server.ts";
import { progressFacts } from "./module-completion.server.ts";
import { submittedAttempts } from "./quiz-attempt.server.ts";
import { getCurrentVersion, getLessonCode, getOverviewCode, getVersionById } from "./module.server.ts";

/**
 * What the module and lesson pages show a learner: the version they are on
 * (their enrolment's, or the current one if they have not started), their
 * progress, and the rendered HTML. Loaders call these and pass the result on.
 */
export async function moduleOverview(slug: string, userId: string | null) {
  const enrolment = userId ? await findEnrolment(userId, slug) : null;
  const current = await getCurrentVersion(slug);
  const version = enrolment ? await getVersionById(enrolment.moduleVersionId) : current;
  if (!version) return null;
  const overviewCode = await getOverviewCode(version.id);
  const facts = enrolment ? await progressFacts(enrolment, version) : null;
  const step = facts ? nextStep(facts) : null;
  return {
    slug,
    title: version.title,
    version: version.version,
    publishedAt: version.publishedAt,
    meta: {
      summary: version.meta.summary,
      audience: version.meta.audience,
      outcomes: version.meta.outcomes,
      durationMinutes: version.meta.durationMinutes,
      certificateValidityMonths: version.meta.certificateValidityMonths,
      passMark: version.meta.passMark,
    },
    hasQuiz: version.hasQuiz,
    quizRequired: version.quizRequired,
    overviewHtml: overviewCode ? renderMdxToHtml(overviewCode) : "",
    lessons: version.lessons.map((l) => ({ ...l, completed: enrolment?.completedLessonKeys.has(l.key) ?? false })),
    enrolment: enrolment
      ? {
          startedAt: enrolment.startedAt,
          completedAt: enrolment.completedAt,
          percent: facts ? percentComplete(facts) : 0,
          lessonsDone: version.lessons.filter((l) => enrolment.completedLessonKeys.has(l.key)).length,
          complete: facts ? isModuleComplete(facts) : false,
          next: step?.kind === "lesson" ? `/modules/${slug}/${step.key}` : step?.kind === "quiz" ? `/modules/${slug}/quiz` : null,
        }
      : null,
    attempts: enrolment ? await submittedAttempts(enrolment.id) : [],
    /** A newer version exists than the one this learner is on. */
    newerVersion: current && current.version !== version.version ? { version: current.version, publishedAt: current.publishedAt } : null,
  };
}

export async function lessonView(slug: string, lessonKey: string, userId: string) {
  const enrolment = await findEnrolment(userId, slug);
  const version = enrolment ? await getVersionById(enrolment.moduleVersionId) : await getCurrentVersion(slug);
  if (!version) return null;
  const index = version.lessons.findIndex((l) => l.key === lessonKey);
  const lesson = version.lessons[index];
  if (!lesson) return null;
  const code = await getLessonCode(version.id, lessonKey);
  if (code === null) return null;
  const lessonsDone = version.lessons.filter((l) => enrolment?.completedLessonKeys.has(l.key)).length;
  return {
    slug,
    moduleTitle: version.title,
    version: version.version,
    lesson: { key: lesson.key, title: lesson.title, minutes: lesson.minutes, number: index + 1 },
    html: renderMdxToHtml(code),
    lessons: version.lessons.map((l) => ({ key: l.key, title: l.title, completed: enrolment?.completedLessonKeys.has(l.key) ?? false })),
    previous: index > 0 ? (version.lessons[index - 1] ?? null) : null,
    next: version.lessons[index + 1] ?? null,
    hasQuiz: version.hasQuiz,
    enrolled: !!enrolment,
    moduleCompleted: !!enrolment?.completedAt,
    completed: enrolment?.completedLessonKeys.has(lessonKey) ?? false,
    lessonsDone,
    lessonsTotal: version.lessons.length,
  };
}

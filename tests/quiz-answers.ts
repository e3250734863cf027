import type { Question } from "#app/content/schema.ts";

/**
 * Builds form fields answering each question right or wrong, from the bank
 * (which tests read on the server side, as the grader does).
 */
export function answerFields(questions: Question[], right: boolean | ((q: Question, index: number) => boolean)): [string, string][] {
  const fields: [string, string][] = [];
  questions.forEach((q, index) => {
    const correct = typeof right === "function" ? right(q, index) : right;
    if (q.type === "classify") {
      const wrong = (q.options ?? []).find((o) => o !== q.answer) ?? (q.answer === "not-a-crime" ? "harassment-s2" : "not-a-crime");
      fields.push([`q-${q.id}`, correct ? q.answer : wrong]);
      for (const element of correct ? (q.four?.present ?? []) : []) fields.push([`four-${q.id}`, element]);
    } else {
      const rightIds = q.options.filter((o) => o.correct).map((o) => o.id);
      const wrongId = q.options.find((o) => !o.correct)?.id ?? "";
      if (q.type === "single") fields.push([`q-${q.id}`, correct ? (rightIds[0] ?? "") : wrongId]);
      else for (const id of correct ? rightIds : [wrongId]) fields.push([`q-${q.id}`, id]);
    }
  });
  return fields;
}

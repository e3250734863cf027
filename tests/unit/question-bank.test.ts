import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { QuestionSchema } from "#app/content/schema.ts";
import { formValuesFromPost, formValuesOf, questionFromForm, questionYaml, readBank, withQuestionAdded, withQuestionMoved, withQuestionReplaced, withQuestionRetired } from "#app/utils/question-bank.ts";

/** The question editor's text splicing on the real banks in content/: every other question's bytes stay as they were. */
const ROOT = path.resolve(import.meta.dirname, "..", "..", "content", "modules");
const banks = fs.readdirSync(ROOT).map((slug) => [slug, fs.readFileSync(path.join(ROOT, slug, "quiz.yaml"), "utf8")] as const);

test.each(banks)("%s: moving a question down then up, and retiring then restoring it, gives the file back byte for byte", (_slug, text) => {
  const moved = withQuestionMoved(text, 0, 1);
  expect(moved).not.toBe(text);
  expect(moved.length).toBe(text.length);
  expect(withQuestionMoved(moved, 1, -1)).toBe(text);
  const retired = withQuestionRetired(text, 3, true);
  expect(retired.split("\n").length).toBe(text.split("\n").length + 1);
  expect(withQuestionRetired(retired, 3, false)).toBe(text);
});

test.each(banks)("%s: adding a question keeps the whole file before it; replacing one changes only its lines", (_slug, text) => {
  const bank = readBank(text)!;
  const added = withQuestionAdded(text, { ...bank.questions[0]!, id: "copy-of-the-first" });
  expect(added.startsWith(text.trimEnd())).toBe(true);
  const second = bank.questions[1]!;
  const replaced = withQuestionReplaced(text, 1, { ...second, explanation: "Changed." });
  const firstId = String(bank.questions[1]!.id);
  const thirdId = String(bank.questions[2]!.id);
  // Everything before the second question and from the third on is untouched.
  expect(replaced.slice(0, replaced.indexOf(`- id: ${firstId}`))).toBe(text.slice(0, text.indexOf(`- id: ${firstId}`)));
  expect(replaced.slice(replaced.indexOf(`- id: ${thirdId}`))).toBe(text.slice(text.indexOf(`- id: ${thirdId}`)));
  expect(readBank(replaced)!.questions[1]!.explanation).toBe("Changed.");
});

test("a question is written in one fixed form, and the form's values read back to the same question", () => {
  const question = {
    explanation: "Short.",
    facts: { fixation: true, occasions: "two-or-more", behaviours: ["following"] },
    answer: "stalking-s2a",
    four: { present: ["fixated", "repeated"] },
    scenario: "Dan followed Amy home twice. He says they are meant to be together.",
    type: "classify",
    id: "q-one",
  };
  expect(questionYaml(question)).toBe(`id: q-one
type: classify
scenario: Dan followed Amy home twice. He says they are meant to be together.
answer: stalking-s2a
four: {present: [fixated, repeated]}
facts:
  occasions: two-or-more
  behaviours: [following]
  fixation: true
explanation: Short.
`);
  const values = formValuesOf(question);
  const form = new FormData();
  for (const [name, value] of Object.entries({ type: values.type, id: values.id, scenario: values.scenario, answer: values.answer, explanation: values.explanation, askFour: "yes", "facts-occasions": "two-or-more", "facts-fixation": "yes" })) form.set(name, value);
  for (const e of values.four) form.append("four", e);
  form.append("behaviours", "following");
  const { question: back } = questionFromForm(formValuesFromPost(form));
  expect(back).toEqual({ id: "q-one", type: "classify", scenario: question.scenario, answer: "stalking-s2a", four: { present: ["fixated", "repeated"] }, facts: { occasions: "two-or-more", fixation: true, behaviours: ["following"] }, explanation: "Short." });
  expect(QuestionSchema.safeParse({ ...back, retired: "yes" }).error?.issues[0]?.message).toBe("retired must be true or false");
});

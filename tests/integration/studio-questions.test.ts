import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents } from "#db/schema/index.ts";
import { QuizSchema } from "#app/content/schema.ts";
import { getStudioModule, openDraft } from "#app/models/authoring/drafts.server.ts";
import { approveDraft, submitForReview } from "#app/models/authoring/review.server.ts";
import { completeLesson, startModule } from "#app/models/learning/enrolment.server.ts";
import { getAttemptView, startAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { action as bankAction, loader as bankLoader } from "#app/routes/studio.$slug.questions._index.tsx";
import { action as editAction, loader as editLoader } from "#app/routes/studio.$slug.questions.$id.edit.tsx";
import { loader as exportLoader } from "#app/routes/studio.$slug.questions.export[.]yaml.ts";
import { action as newAction } from "#app/routes/studio.$slug.questions.new.tsx";
import { withQuestionMoved } from "#app/utils/question-bank.ts";
import { drawAttempt } from "#app/utils/quiz.ts";
import { parse } from "yaml";
import { createUser, FIXTURE_CONTENT, importFixtures, sessionCookie } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

/**
 * The question editor's forms, posted to the route actions as a browser
 * posts them (signed-in author, form fields by name), with the stored
 * quiz.yaml compared to literal text.
 */

const handle = await openTestDatabase();
await importFixtures(handle);

const SLUG = "sample-basics";
const ORIGINAL = fs.readFileSync(path.join(FIXTURE_CONTENT, SLUG, "quiz.yaml"), "utf8");
const base = `http://localhost:3999/studio/${SLUG}/questions`;

type Outcome = { status: number; location: string | null; data: { errors?: Record<string, string>; values?: Record<string, unknown>; problems?: unknown[] } | null };

async function call(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run();
    if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), data: null };
    const r = result as { init?: { status?: number } | null; data: Outcome["data"] };
    return { status: r.init?.status ?? 200, location: null, data: r.data };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: null, data: null };
    throw thrown;
  }
}

function encoded(fields: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body;
}

const post = (url: string, cookie: string, body: URLSearchParams | FormData) => new Request(url, { method: "POST", body, headers: { Cookie: cookie } });

async function stored(): Promise<{ text: string; revision: number; draftId: string }> {
  const draft = (await getStudioModule(SLUG))!.draft!;
  return { text: draft.files["quiz.yaml"]!, revision: draft.revision, draftId: draft.id };
}

const author = await createUser({ role: "author", name: "Ava Author" });
const other = await createUser({ role: "author", name: "Ben Writer" });
const avaCookie = await sessionCookie(author);
const benCookie = await sessionCookie(other);
await openDraft({ id: author.id, name: author.name, email: author.email, role: author.role }, SLUG);

/** The neighbour scenario: the aid reaches harassment, s.2, from these facts. */
const NEIGHBOUR = {
  type: "classify",
  id: "fixture-neighbour-swearing",
  tags: "neighbour, offline",
  scenario: "Gareth has sworn at his neighbour four times in a parking dispute. The neighbour finds it distressing but does not fear violence.",
  answer: "harassment-s2",
  offer: ["harassment-s2", "stalking-s2a", "not-a-crime"],
  askFour: "yes",
  four: ["unwanted", "repeated"],
  "facts-occasions": "two-or-more",
  "facts-relationship": "neighbour",
  behaviours: ["abuse-in-person"],
  "facts-alarmingOrDistressing": "yes",
  "feedback-stalking-s2a": "No fixation and no act associated with stalking.",
  explanation: "Abuse on four occasions is a course of conduct (PHA s.7) that a reasonable person would think distressing: harassment, s.2.",
};

const NEIGHBOUR_YAML = `  - id: fixture-neighbour-swearing
    type: classify
    tags: [neighbour, offline]
    scenario: >-
      Gareth has sworn at his neighbour four times in a parking dispute. The neighbour finds it distressing but
      does not fear violence.
    answer: harassment-s2
    options: [stalking-s2a, harassment-s2, not-a-crime]
    four: {present: [unwanted, repeated]}
    facts:
      occasions: two-or-more
      relationship: neighbour
      behaviours: [abuse-in-person]
      alarmingOrDistressing: true
    feedback:
      stalking-s2a: No fixation and no act associated with stalking.
    explanation: >-
      Abuse on four occasions is a course of conduct (PHA s.7) that a reasonable person would think distressing:
      harassment, s.2.
`;

test("an author adds a classify question through the form: appended in the stable form, audited, and the rest of the file unchanged", async () => {
  const before = await stored();
  const outcome = await call(() => newAction({ request: post(`${base}/new`, avaCookie, encoded({ ...NEIGHBOUR, draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG }, context: undefined as never }));
  expect(outcome.status).toBe(302);
  expect(outcome.location).toBe(`/studio/${SLUG}/questions?done=saved&id=fixture-neighbour-swearing`);
  const after = await stored();
  expect(after.revision).toBe(before.revision + 1);
  expect(after.text).toBe(ORIGINAL + NEIGHBOUR_YAML);
  const [event] = await handle.db
    .select({ action: auditEvents.action, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "studio.draft_saved"), eq(auditEvents.actorId, author.id)));
  expect(event?.details).toMatchObject({ slug: SLUG, revision: after.revision, change: 'added question "fixture-neighbour-swearing" to the question bank' });

  // The bank page lists it last, with its type, excerpt and tags.
  const page = (await bankLoader({ request: new Request(`${base}?done=saved&id=fixture-neighbour-swearing`, { headers: { Cookie: avaCookie } }), params: { slug: SLUG }, context: undefined as never })) as Awaited<ReturnType<typeof bankLoader>>;
  expect(page.notice).toBe('Saved question "fixture-neighbour-swearing".');
  const forged = (await bankLoader({ request: new Request(`${base}?done=saved&id=Call%20us%20now`, { headers: { Cookie: avaCookie } }), params: { slug: SLUG }, context: undefined as never })) as Awaited<ReturnType<typeof bankLoader>>;
  expect(forged.notice).toBeNull();
  expect(page.questions.map((q) => q.id)).toEqual(["fixture-ex-partner-following", "fixture-single-offensive-message", "fixture-single-choice", "fixture-multiple-choice", "fixture-neighbour-swearing"]);
  expect(page.questions[4]).toEqual({
    index: 4,
    id: "fixture-neighbour-swearing",
    type: "Classify",
    excerpt: "Gareth has sworn at his neighbour four times in a parking dispute. The neighbour finds it distressing but does not fear violence.",
    tags: ["neighbour", "offline"],
    retired: false,
  });
  expect(page.problems).toEqual([]);
});

test("editing one question rewrites only its lines; the edit form shows the stored values", async () => {
  const before = await stored();
  const form = (await editLoader({ request: new Request(`${base}/fixture-single-choice/edit`, { headers: { Cookie: avaCookie } }), params: { slug: SLUG, id: "fixture-single-choice" }, context: undefined as never })) as Awaited<ReturnType<typeof editLoader>>;
  expect(form.values.prompt).toBe("Since when has stalking been an offence in England and Wales?");
  expect(form.values.options.slice(0, 4)).toEqual([
    { id: "a", text: "25 November 2012", feedback: "FIXTURE-FEEDBACK-RIGHT inserted by the Protection of Freedoms Act 2012.", correct: true },
    { id: "b", text: "1 April 2018", feedback: "", correct: false },
    { id: "c", text: "31 January 2024", feedback: "", correct: false },
    { id: "", text: "", feedback: "", correct: false },
  ]);
  const outcome = await call(() =>
    editAction({
      request: post(
        `${base}/fixture-single-choice/edit`,
        avaCookie,
        encoded({
          draftId: before.draftId,
          revision: String(before.revision),
          type: "single",
          id: "fixture-single-choice",
          tags: "law",
          prompt: "Since when has stalking been a named offence in England and Wales?",
          "option-1-id": "a",
          "option-1-text": "25 November 2012",
          "option-1-feedback": "Inserted by the Protection of Freedoms Act 2012.",
          "option-2-id": "b",
          "option-2-text": "1 April 2018",
          "option-2-feedback": "",
          "option-3-id": "",
          "option-3-text": "31 January 2024",
          "option-4-id": "",
          "option-4-text": "",
          correct: "1",
          explanation: "PHA s.2A came into force on 25 November 2012.",
        }),
      ),
      params: { slug: SLUG, id: "fixture-single-choice" },
      context: undefined as never,
    }),
  );
  expect(outcome.status).toBe(302);
  const after = await stored();
  const oldItem = ORIGINAL.slice(ORIGINAL.indexOf("  - id: fixture-single-choice"), ORIGINAL.indexOf("  - id: fixture-multiple-choice"));
  const newItem = `  - id: fixture-single-choice
    type: single
    tags: [law]
    prompt: Since when has stalking been a named offence in England and Wales?
    options:
      - id: a
        text: 25 November 2012
        correct: true
        feedback: Inserted by the Protection of Freedoms Act 2012.
      - id: b
        text: 1 April 2018
      - id: c
        text: 31 January 2024
    explanation: PHA s.2A came into force on 25 November 2012.
`;
  expect(after.text).toBe(before.text.replace(oldItem, newItem));
});

test("move up and move down swap neighbours byte for byte; the first cannot move up", async () => {
  const before = await stored();
  const move = (intent: string, id: string, revision: number) =>
    call(() => bankAction({ request: post(base, avaCookie, encoded({ intent, id, draftId: before.draftId, revision: String(revision) })), params: { slug: SLUG }, context: undefined as never }));
  const down = await move("move-down", "fixture-ex-partner-following", before.revision);
  expect(down.status).toBe(302);
  expect(down.location).toBe(`/studio/${SLUG}/questions?done=moved-down&id=fixture-ex-partner-following`);
  const moved = await stored();
  expect((parse(moved.text) as { questions: { id: string }[] }).questions.map((q) => q.id)).toEqual([
    "fixture-single-offensive-message",
    "fixture-ex-partner-following",
    "fixture-single-choice",
    "fixture-multiple-choice",
    "fixture-neighbour-swearing",
  ]);
  expect(moved.text.length).toBe(before.text.length);
  const up = await move("move-up", "fixture-ex-partner-following", moved.revision);
  expect(up.status).toBe(302);
  expect((await stored()).text).toBe(before.text);
  const first = await move("move-up", "fixture-ex-partner-following", moved.revision + 1);
  expect(first.status).toBe(400);
  expect(first.data?.errors).toEqual({ form: 'Question "fixture-ex-partner-following" is already first.' });
});

test("retiring keeps the question in the bank marked retired, never drawn; retiring below the number drawn is refused", async () => {
  const before = await stored();
  const retire = (id: string, revision: number, intent = "retire") =>
    call(() => bankAction({ request: post(base, avaCookie, encoded({ intent, id, draftId: before.draftId, revision: String(revision) })), params: { slug: SLUG }, context: undefined as never }));
  const done = await retire("fixture-multiple-choice", before.revision);
  expect(done.status).toBe(302);
  const after = await stored();
  expect(after.text).toBe(before.text.replace("  - id: fixture-multiple-choice\n", "  - id: fixture-multiple-choice\n    retired: true\n"));
  const quiz = QuizSchema.parse(parse(after.text));
  expect(quiz.questions.find((q) => q.id === "fixture-multiple-choice")?.retired).toBe(true);
  for (const seed of ["one", "two", "three", "four", "five", "six"]) {
    expect(drawAttempt(quiz, seed).questionIds.slice().sort()).toEqual(["fixture-ex-partner-following", "fixture-neighbour-swearing", "fixture-single-choice", "fixture-single-offensive-message"]);
  }
  // Four drawn per attempt and four live questions left: a second retirement would leave too few.
  const refused = await retire("fixture-single-choice", after.revision);
  expect(refused.status).toBe(400);
  expect(refused.data?.errors).toEqual({
    form: 'Question "fixture-single-choice" was not retired: the bank would not pass the checker (questionsPerAttempt (4) is more than the 3 questions in the bank that are not retired)',
  });
  expect((await stored()).text).toBe(after.text);
  // Restoring removes the line again.
  const restored = await retire("fixture-multiple-choice", after.revision, "restore");
  expect(restored.status).toBe(302);
  expect((await stored()).text).toBe(before.text);
});

test("a stale save is refused naming who changed what, the author's input is handed back, and nothing is written", async () => {
  const before = await stored();
  // Ben edits the bank first (a retirement), from the same revision Ava's form was built on.
  const ben = await call(() => bankAction({ request: post(base, benCookie, encoded({ intent: "retire", id: "fixture-multiple-choice", draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG }, context: undefined as never }));
  expect(ben.status).toBe(302);
  const afterBen = await stored();
  const ava = await call(() =>
    newAction({ request: post(`${base}/new`, avaCookie, encoded({ ...NEIGHBOUR, id: "fixture-second-neighbour", draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG }, context: undefined as never }),
  );
  expect(ava.status).toBe(409);
  const at = (await getStudioModule(SLUG))!.draft!.updatedAt.toISOString().slice(11, 16);
  expect(ava.data?.errors).toEqual({
    form: `Ben Writer saved this draft at ${at} UTC (retired question "fixture-multiple-choice" in the question bank) after you opened it, so your change was not saved. Your text is kept below: reload the draft, then apply it again.`,
  });
  expect(ava.data?.values).toMatchObject({ id: "fixture-second-neighbour", scenario: NEIGHBOUR.scenario, answer: "harassment-s2", behaviours: ["abuse-in-person"], explanation: NEIGHBOUR.explanation });
  expect(await stored()).toEqual(afterBen);
  // Put the bank back for the next test.
  const restore = await call(() => bankAction({ request: post(base, avaCookie, encoded({ intent: "restore", id: "fixture-multiple-choice", draftId: before.draftId, revision: String(afterBen.revision) })), params: { slug: SLUG }, context: undefined as never }));
  expect(restore.status).toBe(302);
});

test("two authors change the bank from the same revision at once: one is saved, the other refused with who changed what", async () => {
  const before = await stored();
  const [ava, ben] = await Promise.all([
    call(() => bankAction({ request: post(base, avaCookie, encoded({ intent: "move-down", id: "fixture-ex-partner-following", draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG }, context: undefined as never })),
    call(() => bankAction({ request: post(base, benCookie, encoded({ intent: "retire", id: "fixture-multiple-choice", draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG }, context: undefined as never })),
  ]);
  expect([ava.status, ben.status].sort()).toEqual([302, 409]);
  const after = await stored();
  expect(after.revision).toBe(before.revision + 1);
  if (ava.status === 302) {
    expect(after.text).toBe(withQuestionMoved(before.text, 0, 1));
    expect(ben.data?.errors?.form).toContain('Ava Author saved this draft at');
    expect(ben.data?.errors?.form).toContain('(moved down question "fixture-ex-partner-following" in the question bank)');
  } else {
    expect(after.text).toBe(before.text.replace("  - id: fixture-multiple-choice\n", "  - id: fixture-multiple-choice\n    retired: true\n"));
    expect(ava.data?.errors?.form).toContain('Ben Writer saved this draft at');
    expect(ava.data?.errors?.form).toContain('(retired question "fixture-multiple-choice" in the question bank)');
  }
  // Put the bank back for the next test.
  const undo = ava.status === 302 ? { intent: "move-up", id: "fixture-ex-partner-following" } : { intent: "restore", id: "fixture-multiple-choice" };
  expect((await call(() => bankAction({ request: post(base, avaCookie, encoded({ ...undo, draftId: before.draftId, revision: String(after.revision) })), params: { slug: SLUG }, context: undefined as never }))).status).toBe(302);
  expect((await stored()).text).toBe(before.text);
});

test("a classify scenario the decision aid cannot reach is refused next to its answer, and nothing is written", async () => {
  const before = await stored();
  const outcome = await call(() =>
    newAction({
      request: post(`${base}/new`, avaCookie, encoded({ ...NEIGHBOUR, id: "fixture-unreachable", "facts-fixation": "yes", draftId: before.draftId, revision: String(before.revision) })),
      params: { slug: SLUG },
      context: undefined as never,
    }),
  );
  expect(outcome.status).toBe(400);
  expect(outcome.data?.errors).toEqual({ answer: 'the decision aid reaches "stalking-s2a" from this question\'s facts, not "harassment-s2": fix the facts or the answer' });
  expect(await stored()).toEqual(before);

  // A schema problem goes next to its own field: a one-sentence scenario, and facts without occasions.
  const bad = await call(() =>
    newAction({
      request: post(`${base}/new`, avaCookie, encoded({ ...NEIGHBOUR, id: "fixture-bad", scenario: "Only one sentence here.", "facts-occasions": "", draftId: before.draftId, revision: String(before.revision) })),
      params: { slug: SLUG },
      context: undefined as never,
    }),
  );
  expect(bad.status).toBe(400);
  expect(bad.data?.errors).toEqual({ scenario: "scenario must be 2 to 5 sentences (found 1)" });
  expect(await stored()).toEqual(before);
});

function upload(text: string, draftId: string, revision: number): FormData {
  const form = new FormData();
  form.set("intent", "import");
  form.set("draftId", draftId);
  form.set("revision", String(revision));
  form.set("file", new File([text], "quiz.yaml", { type: "text/yaml" }));
  return form;
}

test("YAML import replaces the bank when it passes the checker, and is refused whole with problems at line:column when it does not", async () => {
  const before = await stored();
  const badYaml = ORIGINAL.replace("passMark: 75", "passMark: 75\n  oops: [");
  const bad = await call(() => bankAction({ request: post(base, avaCookie, upload(badYaml, before.draftId, before.revision)), params: { slug: SLUG }, context: undefined as never }));
  expect(bad.status).toBe(400);
  expect(bad.data?.errors).toEqual({ file: "The file has 3 problems (listed below): nothing was imported" });
  expect(bad.data?.problems).toEqual([
    { line: 2, column: 11, message: "YAML: Nested mappings are not allowed in compact mappings", path: [] },
    { line: 2, column: 11, message: "YAML: Implicit keys need to be on a single line", path: [] },
    { line: 4, column: 1, message: "YAML: Flow sequence in block collection must be sufficiently indented and end with a ]", path: [] },
  ]);

  const unknownFields = ORIGINAL.replace("passMark: 75", "passMark: 75\noops: 1").replace("  - id: fixture-single-choice\n    type: single", "  - id: fixture-single-choice\n    type: single\n    colour: blue");
  const schema = await call(() => bankAction({ request: post(base, avaCookie, upload(unknownFields, before.draftId, before.revision)), params: { slug: SLUG }, context: undefined as never }));
  expect(schema.status).toBe(400);
  expect(schema.data?.problems).toEqual([
    { line: 3, column: 1, message: 'unknown field "oops"', path: ["oops"] },
    { line: 36, column: 5, message: 'question "fixture-single-choice": questions[2]: unknown field "colour"', path: ["questions", 2, "colour"] },
  ]);

  const wrongAnswer = ORIGINAL.replace("answer: stalking-s2a", "answer: harassment-s4");
  const refused = await call(() => bankAction({ request: post(base, avaCookie, upload(wrongAnswer, before.draftId, before.revision)), params: { slug: SLUG }, context: undefined as never }));
  expect(refused.status).toBe(400);
  expect(refused.data?.problems).toEqual([
    { line: 11, column: 5, message: 'question "fixture-ex-partner-following": options must include the answer "harassment-s4"', path: ["questions", 0, "options"] },
  ]);
  expect(await stored()).toEqual(before);

  const good = await call(() => bankAction({ request: post(base, avaCookie, upload(ORIGINAL.replace("passMark: 75", "passMark: 70").replace(/\n/g, "\r\n"), before.draftId, before.revision)), params: { slug: SLUG }, context: undefined as never }));
  expect(good.status).toBe(302);
  expect(good.location).toBe(`/studio/${SLUG}/questions?done=imported`);
  expect((await stored()).text).toBe(ORIGINAL.replace("passMark: 75", "passMark: 70"));

  // Export gives back exactly the stored text.
  const exported = (await exportLoader({ request: new Request(`${base}/export.yaml`, { headers: { Cookie: avaCookie } }), params: { slug: SLUG }, context: undefined as never })) as Response;
  expect(exported.headers.get("Content-Type")).toBe("text/yaml; charset=utf-8");
  expect(exported.headers.get("Content-Disposition")).toBe('attachment; filename="sample-basics-quiz.yaml"');
  expect(await exported.text()).toBe(ORIGINAL.replace("passMark: 75", "passMark: 70"));
});

test("bad values in the question forms answer 4xx and change nothing", async () => {
  const before = await stored();
  const bads: Record<string, string>[] = [{ type: "essay" }, { type: "classify", revision: "x" }, { type: "single", id: "a\u0000b" }, {}];
  for (const fields of bads) {
    const outcome = await call(() => newAction({ request: post(`${base}/new`, avaCookie, encoded({ draftId: before.draftId, revision: String(before.revision), ...fields })), params: { slug: SLUG }, context: undefined as never }));
    expect(outcome.status).toBe(400);
  }
  const missing = await call(() => editAction({ request: post(`${base}/nope/edit`, avaCookie, encoded({ ...NEIGHBOUR, draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG, id: "nope" }, context: undefined as never }));
  expect(missing.status).toBe(409);
  for (const intent of ["matrix", "retire", "import"]) {
    const outcome = await call(() => bankAction({ request: post(base, avaCookie, encoded({ intent, draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG }, context: undefined as never }));
    expect(outcome.status).toBe(400);
  }
  // The bad-input corpus of tests/e2e/bad-input.spec.ts in every field, and as the question's address.
  const CORPUS: (string | string[])[] = ["", "x".repeat(10_000), "a\u0000b", "<script>alert(1)</script>", "' OR 1=1; --", ["first", "second"], "99999999999999999999999", "-1", "../../etc/passwd"];
  for (const value of CORPUS) {
    const all = { type: value, id: value, tags: value, scenario: value, prompt: value, answer: value, explanation: value, "facts-occasions": value, "option-1-text": value, correct: value };
    for (const revision of [value, String(before.revision)]) {
      const added = await call(() => newAction({ request: post(`${base}/new`, avaCookie, encoded({ ...all, draftId: before.draftId, revision })), params: { slug: SLUG }, context: undefined as never }));
      expect(added.status >= 400 && added.status < 500, `new ${String(value).slice(0, 20)}`).toBe(true);
      const id = Array.isArray(value) ? value[0]! : value;
      const edited = await call(() => editAction({ request: post(`${base}/x/edit`, avaCookie, encoded({ ...NEIGHBOUR, type: value, draftId: before.draftId, revision })), params: { slug: SLUG, id }, context: undefined as never }));
      expect(edited.status >= 400 && edited.status < 500, `edit ${String(value).slice(0, 20)}`).toBe(true);
      for (const intent of ["move-up", "retire", value]) {
        const bank = await call(() => bankAction({ request: post(base, avaCookie, encoded({ intent, id: value, draftId: before.draftId, revision })), params: { slug: SLUG }, context: undefined as never }));
        expect(bank.status >= 400 && bank.status < 500, `bank ${String(intent).slice(0, 20)}`).toBe(true);
      }
    }
  }
  expect(await stored()).toEqual(before);
});

test("a question retired in the studio and published: an attempt on the old version that drew it still renders; the new version never draws it", async () => {
  const learner = await createUser();
  await startModule({ userId: learner.id, slug: SLUG });
  for (const key of ["first", "second", "sources"]) await completeLesson({ userId: learner.id, slug: SLUG, lessonKey: key });
  const oldAttempt = await startAttempt(learner.id, SLUG);

  const before = await stored();
  const added = await call(() => newAction({ request: post(`${base}/new`, avaCookie, encoded({ ...NEIGHBOUR, draftId: before.draftId, revision: String(before.revision) })), params: { slug: SLUG }, context: undefined as never }));
  expect(added.status).toBe(302);
  const retired = await call(() => bankAction({ request: post(base, avaCookie, encoded({ intent: "retire", id: "fixture-multiple-choice", draftId: before.draftId, revision: String(before.revision + 1) })), params: { slug: SLUG }, context: undefined as never }));
  expect(retired.status).toBe(302);
  const ava = { id: author.id, name: author.name, email: author.email, role: author.role };
  await submitForReview(ava, { slug: SLUG, draftId: before.draftId, revision: before.revision + 2, changeNote: "Retires the multiple-choice question", materialChange: false });
  const admin = await createUser({ role: "admin", name: "Ada Admin" });
  const published = await approveDraft({ id: admin.id, name: admin.name, email: admin.email, role: admin.role }, { slug: SLUG, draftId: before.draftId, revision: before.revision + 2 });
  expect(published.version).toBe(2);

  // The learner's attempt was drawn from version 1's four questions, the retired one among them.
  const open = await getAttemptView(learner.id, SLUG, oldAttempt);
  if (open?.kind !== "open") throw new Error("expected the attempt to be open");
  expect(open.questions.map((q) => q.id).sort()).toEqual(["fixture-ex-partner-following", "fixture-multiple-choice", "fixture-single-choice", "fixture-single-offensive-message"]);

  // A learner who starts now is on version 2: the retired question is in its bank but never drawn.
  const newcomer = await createUser();
  await startModule({ userId: newcomer.id, slug: SLUG });
  for (const key of ["first", "second", "sources"]) await completeLesson({ userId: newcomer.id, slug: SLUG, lessonKey: key });
  const fresh = await getAttemptView(newcomer.id, SLUG, await startAttempt(newcomer.id, SLUG));
  if (fresh?.kind !== "open") throw new Error("expected an open attempt");
  expect(fresh.questions.map((q) => q.id).sort()).toEqual(["fixture-ex-partner-following", "fixture-neighbour-swearing", "fixture-single-choice", "fixture-single-offensive-message"]);
});

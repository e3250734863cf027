import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import { FOUR_ELEMENTS, OFFENCES } from "#db/schema/quiz-bank.ts";
import { BEHAVIOURS } from "./decision-aid.ts";

/**
 * The question editor's pure half (ADR 038): a quiz.yaml bank as text, changed
 * one question at a time so a review's diff shows only what the author changed.
 *
 * - A question the form writes is generated with a fixed key order and style
 *   (`questionYaml`): the same question always gives the same text.
 * - Edits, additions, moves and retirements splice that question's lines into
 *   the file and leave every other byte alone (comments, other questions).
 * - Every splice is checked by parsing the result: if the bank it reads back is
 *   not the bank intended, the whole file is written again in the stable form.
 */

/** A question as written in quiz.yaml (before the schema's defaults), as plain data. */
export type BankQuestion = { [key: string]: unknown };
export type Bank = { [key: string]: unknown; questions: BankQuestion[] };

const QUESTION_KEYS = ["id", "type", "retired", "tags", "scenario", "prompt", "answer", "options", "four", "facts", "feedback", "explanation"];
const FACT_KEYS = [
  "occasions",
  "relationship",
  "behaviours",
  "fixation",
  "fearOfViolenceTwice",
  "seriousAlarmOrDistress",
  "alarmingOrDistressing",
  "couldBeReasonable",
  "controllingOrCoercive",
  "messageKind",
];
const OPTION_KEYS = ["id", "text", "correct", "feedback"];
const BANK_KEYS = ["passMark", "questionsPerAttempt", "maxAttempts", "waitMinutesBetweenAttempts", "requiredForCompletion", "questions"];

/** New banks start with these settings; authors change them in the file editor. */
export const NEW_BANK_SETTINGS = { passMark: 80, questionsPerAttempt: 1, waitMinutesBetweenAttempts: 0, requiredForCompletion: true };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The keys of `value` in `order`, then any others alphabetically. */
function ordered(value: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) if (value[key] !== undefined) out[key] = value[key];
  for (const key of Object.keys(value).sort()) if (!(key in out) && value[key] !== undefined) out[key] = value[key];
  return out;
}

function orderedQuestion(question: BankQuestion): Record<string, unknown> {
  const out = ordered(question, QUESTION_KEYS);
  if (isRecord(out.facts)) out.facts = ordered(out.facts, FACT_KEYS);
  if (isRecord(out.feedback)) out.feedback = ordered(out.feedback, OFFENCES);
  if (isRecord(out.four)) out.four = ordered(out.four, ["present"]);
  if (Array.isArray(out.options)) out.options = out.options.map((o: unknown) => (isRecord(o) ? ordered(o, OPTION_KEYS) : o));
  return out;
}

/**
 * One question as YAML (no leading dash): keys in a fixed order, lists of
 * words and `four` on one line, text over 72 characters folded (`>-`) at 110
 * columns, as the hand-written banks are.
 */
export function questionYaml(question: BankQuestion): string {
  const doc = new Document(orderedQuestion(question));
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && node.value.length > 72) node.type = "BLOCK_FOLDED";
    },
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === "four" && isMap(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 110, minContentWidth: 0, flowCollectionPadding: false });
}

/** Puts `prefix` ("  - ") before the first line and as many spaces before the others. */
function asItem(yaml: string, prefix: string): string {
  const pad = " ".repeat(prefix.length);
  return yaml
    .replace(/\n$/, "")
    .split("\n")
    .map((line, i) => (i === 0 ? prefix + line : line === "" ? "" : pad + line))
    .join("\n")
    .concat("\n");
}

/** A whole bank in the stable form: settings in a fixed order, then the questions. */
export function bankYaml(bank: Bank): string {
  const { questions, ...settings } = bank;
  const head = Object.keys(settings).length > 0 ? new Document(ordered(settings, BANK_KEYS)).toString() : "";
  return `${head}questions:\n${questions.map((q) => asItem(questionYaml(q), "  - ")).join("\n")}`;
}

/** Where each question's lines are in the text: [start, end) from its dash to its last value's line. */
type Span = { start: number; end: number; prefix: string; keyStart: number };
type Layout = { bank: Bank; spans: Span[] };

/** Reads a bank's text for splicing; null when it is not a block list of block maps (then the file is rewritten whole). */
function layoutOf(text: string): Layout | null {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return null;
  const bank: unknown = doc.toJS();
  if (!isRecord(bank) || !Array.isArray(bank.questions)) return null;
  const seq = doc.get("questions", true);
  if (!isSeq(seq) || seq.flow) return null;
  const spans: Span[] = [];
  for (const item of seq.items) {
    if (!isMap(item) || item.flow || !item.range) return null;
    const keyStart = item.range[0];
    const start = text.lastIndexOf("\n", keyStart - 1) + 1;
    const prefix = text.slice(start, keyStart);
    if (!/^ *- +$/.test(prefix)) return null;
    let end = item.range[1];
    if (text[end - 1] !== "\n") {
      const newline = text.indexOf("\n", end);
      end = newline === -1 ? text.length : newline + 1;
    }
    // Blank lines after the last value belong to the gap between questions, not to the question.
    while (end > keyStart) {
      const previous = text.lastIndexOf("\n", end - 2) + 1;
      if (previous <= keyStart || text.slice(previous, end).trim() !== "") break;
      end = previous;
    }
    spans.push({ start, end, prefix, keyStart });
  }
  return { bank: bank as Bank, spans };
}

/** Deep equality of parsed YAML values, ignoring key order. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
  }
  return a === b;
}

/** The spliced text if it reads back as `intended`, else the whole bank in the stable form. */
function checked(spliced: string | null, intended: Bank): string {
  if (spliced !== null) {
    const doc = parseDocument(spliced, { uniqueKeys: true });
    if (doc.errors.length === 0 && same(doc.toJS(), intended)) return spliced;
  }
  return bankYaml(intended);
}

/** The bank a text holds, or null when the text is not a YAML map with a `questions` list. */
export function readBank(text: string): Bank | null {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return null;
  const bank: unknown = doc.toJS();
  return isRecord(bank) && Array.isArray(bank.questions) && bank.questions.every(isRecord) ? (bank as Bank) : null;
}

/** Replaces question `index` with `question`, other questions' text unchanged. */
export function withQuestionReplaced(text: string, index: number, question: BankQuestion): string {
  const layout = layoutOf(text);
  const bank = layout?.bank ?? readBank(text);
  if (!bank || index < 0 || index >= bank.questions.length) throw new RangeError(`no question ${index + 1} in the bank`);
  const intended = { ...bank, questions: bank.questions.map((q, i) => (i === index ? question : q)) };
  const span = layout?.spans[index];
  return checked(span ? text.slice(0, span.start) + asItem(questionYaml(question), span.prefix) + text.slice(span.end) : null, intended);
}

/** Adds `question` at the end of the bank (a new bank with the starting settings when `text` is null). */
export function withQuestionAdded(text: string | null, question: BankQuestion): string {
  if (text === null) return bankYaml({ ...NEW_BANK_SETTINGS, questions: [question] });
  const layout = layoutOf(text);
  const bank = layout?.bank ?? readBank(text);
  if (!bank) throw new RangeError("the bank has no list of questions");
  const intended = { ...bank, questions: [...bank.questions, question] };
  const spans = layout?.spans ?? [];
  const last = spans[spans.length - 1];
  if (!last) return checked(null, intended);
  const before = spans[spans.length - 2];
  // The new question is separated from the last as the last is from the one before (a blank line, or nothing).
  const between = before ? text.slice(before.end, last.start) : "";
  const gap = /^\s*$/.test(between) ? between : "";
  return checked(text.slice(0, last.end) + gap + asItem(questionYaml(question), last.prefix) + text.slice(last.end), intended);
}

/** Swaps question `index` with its neighbour (`direction` -1 up, +1 down); comments between questions stay where they are. */
export function withQuestionMoved(text: string, index: number, direction: -1 | 1): string {
  const layout = layoutOf(text);
  const bank = layout?.bank ?? readBank(text);
  const other = index + direction;
  if (!bank || index < 0 || index >= bank.questions.length || other < 0 || other >= bank.questions.length) throw new RangeError("there is no question to swap with");
  const questions = [...bank.questions];
  [questions[index], questions[other]] = [questions[other] as BankQuestion, questions[index] as BankQuestion];
  const intended = { ...bank, questions };
  const [a, b] = [Math.min(index, other), Math.max(index, other)];
  const first = layout?.spans[a];
  const second = layout?.spans[b];
  const spliced =
    first && second
      ? text.slice(0, first.start) +
        text.slice(second.start, second.end) +
        text.slice(first.end, second.start) +
        text.slice(first.start, first.end) +
        text.slice(second.end)
      : null;
  return checked(spliced, intended);
}

/**
 * Marks question `index` retired (or live again). Retiring adds the line
 * `retired: true` under the question's first line; restoring removes it.
 */
export function withQuestionRetired(text: string, index: number, retired: boolean): string {
  const layout = layoutOf(text);
  const bank = layout?.bank ?? readBank(text);
  const question = bank?.questions[index];
  if (!bank || !question) throw new RangeError(`no question ${index + 1} in the bank`);
  const { retired: _was, ...rest } = question;
  const changed: BankQuestion = retired ? { ...rest, retired: true } : rest;
  const intended = { ...bank, questions: bank.questions.map((q, i) => (i === index ? changed : q)) };
  const span = layout?.spans[index];
  if (!span) return checked(null, intended);
  const lines = text.slice(span.start, span.end).split("\n");
  const pad = " ".repeat(span.prefix.length);
  const kept = lines.filter((line, i) => i === 0 || !/^\s*retired:\s*(true|false)\s*$/.test(line));
  if (retired) kept.splice(1, 0, `${pad}retired: true`);
  return checked(text.slice(0, span.start) + kept.join("\n") + text.slice(span.end), intended);
}

/** The key of question `index` whose lines hold `line` (1-based) of `text`, for putting a problem next to its field. */
export function questionKeyAtLine(text: string, index: number, line: number): string | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const item = doc.getIn(["questions", index], true);
  if (!isMap(item)) return null;
  let found: string | null = null;
  for (const pair of item.items) {
    if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
    if (counter.linePos(pair.key.range[0]).line <= line) found = String(pair.key.value);
  }
  const range = item.range;
  if (!range || line < counter.linePos(range[0]).line || line > counter.linePos(Math.max(range[0], range[1] - 1)).line) return null;
  return found;
}

// ---------------------------------------------------------------- the form

const FACT_SELECTS = ["occasions", "relationship", "fixation", "fearOfViolenceTwice", "seriousAlarmOrDistress", "alarmingOrDistressing", "couldBeReasonable", "controllingOrCoercive", "messageKind"] as const;
const YES_NO_FACTS = ["fearOfViolenceTwice", "seriousAlarmOrDistress", "alarmingOrDistressing", "couldBeReasonable", "controllingOrCoercive"];
export const MAX_OPTIONS = 10;

/** What the question form shows: every field as text, as the author typed it or as the bank holds it. */
export type QuestionFormValues = {
  type: string;
  id: string;
  tags: string;
  scenario: string;
  prompt: string;
  answer: string;
  /** classify: the offences offered (none ticked: all eight). */
  offer: string[];
  askFour: boolean;
  four: string[];
  /** The decision aid's facts other than behaviours: "" is "not stated". */
  facts: Record<string, string>;
  behaviours: string[];
  /** classify: feedback per offence chosen. */
  feedback: Record<string, string>;
  /** single / multiple: option rows (blank rows are ignored). */
  options: { id: string; text: string; feedback: string; correct: boolean }[];
  explanation: string;
};

const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : "");
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(str) : []);

/** Option rows to show: the question's, then blank ones up to four or two spare, at most ten. */
function padOptions(options: QuestionFormValues["options"]): QuestionFormValues["options"] {
  const rows = [...options];
  while (rows.length < Math.min(MAX_OPTIONS, Math.max(4, options.length + 2))) rows.push({ id: "", text: "", feedback: "", correct: false });
  return rows;
}

export function emptyQuestionForm(type = "classify"): QuestionFormValues {
  return { type, id: "", tags: "", scenario: "", prompt: "", answer: "", offer: [], askFour: true, four: [], facts: {}, behaviours: [], feedback: {}, options: padOptions([]), explanation: "" };
}

/** The form's values for a question as the bank holds it. */
export function formValuesOf(question: BankQuestion): QuestionFormValues {
  const facts = isRecord(question.facts) ? question.facts : {};
  const factValues: Record<string, string> = {};
  for (const key of FACT_SELECTS) {
    const value = facts[key];
    if (value === undefined) continue;
    factValues[key] = value === true ? "yes" : value === false ? "no" : str(value);
  }
  const classify = question.type === "classify";
  return {
    type: str(question.type),
    id: str(question.id),
    tags: strings(question.tags).join(", "),
    scenario: str(question.scenario),
    prompt: str(question.prompt),
    answer: str(question.answer),
    offer: classify ? strings(question.options) : [],
    askFour: isRecord(question.four),
    four: isRecord(question.four) ? strings(question.four.present) : [],
    facts: factValues,
    behaviours: strings(facts.behaviours),
    feedback: isRecord(question.feedback) ? Object.fromEntries(Object.entries(question.feedback).map(([k, v]) => [k, str(v)])) : {},
    options: padOptions(
      !classify && Array.isArray(question.options)
        ? question.options.filter(isRecord).map((o) => ({ id: str(o.id), text: str(o.text), feedback: str(o.feedback), correct: o.correct === true }))
        : [],
    ),
    explanation: str(question.explanation),
  };
}

/** The subset of FormData the form reader needs. */
export type FormLike = { get(name: string): unknown; getAll(name: string): unknown[] };

const text = (form: FormLike, name: string) => str(form.get(name)).replace(/\r\n?/g, "\n").trim();

/** The form's values as posted (kept on the page when a save is refused). */
export function formValuesFromPost(form: FormLike): QuestionFormValues {
  const facts: Record<string, string> = {};
  for (const key of FACT_SELECTS) {
    const value = text(form, `facts-${key}`);
    if (value) facts[key] = value;
  }
  const feedback: Record<string, string> = {};
  for (const offence of OFFENCES) {
    const value = text(form, `feedback-${offence}`);
    if (value) feedback[offence] = value;
  }
  const correct = new Set(form.getAll("correct").map(str));
  const options: QuestionFormValues["options"] = [];
  for (let row = 1; row <= MAX_OPTIONS; row++) {
    if (form.get(`option-${row}-text`) === null && form.get(`option-${row}-id`) === null) continue;
    options.push({ id: text(form, `option-${row}-id`), text: text(form, `option-${row}-text`), feedback: text(form, `option-${row}-feedback`), correct: correct.has(String(row)) });
  }
  return {
    type: text(form, "type"),
    id: text(form, "id"),
    tags: text(form, "tags"),
    scenario: text(form, "scenario"),
    prompt: text(form, "prompt"),
    answer: text(form, "answer"),
    offer: form.getAll("offer").map(str),
    askFour: form.get("askFour") === "yes",
    four: form.getAll("four").map(str),
    facts,
    behaviours: form.getAll("behaviours").map(str),
    feedback,
    options: padOptions(options),
    explanation: text(form, "explanation"),
  };
}

/** Fields whose own problems the form reports before the bank's checker runs. */
export type QuestionFormErrors = Record<string, string>;

const ALL_TEXT = (v: QuestionFormValues) => [v.id, v.tags, v.scenario, v.prompt, v.explanation, ...Object.values(v.feedback), ...Object.values(v.facts), ...v.options.flatMap((o) => [o.id, o.text, o.feedback])];

/**
 * The question the form describes, as quiz.yaml will hold it, and for each
 * written option the form row it came from (to put a problem on its row).
 * The bank's checker (the same as content:check) judges the result; this
 * only refuses what cannot be written at all.
 */
export function questionFromForm(values: QuestionFormValues): { question: BankQuestion | null; errors: QuestionFormErrors; optionRows: number[] } {
  const errors: QuestionFormErrors = {};
  if (!["classify", "single", "multiple"].includes(values.type)) errors.type = "Choose the question's type: classify, single choice or multiple choice";
  if (ALL_TEXT(values).some((s) => s.includes("\0"))) errors.form = "The form contains a NUL character: remove it";
  if (Object.keys(errors).length > 0) return { question: null, errors, optionRows: [] };
  const tags = values.tags
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  const base: BankQuestion = { id: values.id, type: values.type };
  if (tags.length > 0) base.tags = tags;
  if (values.type === "classify") {
    const facts: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values.facts)) {
      if (key === "fixation") facts[key] = value === "yes" ? true : value === "no" ? false : value;
      else if (YES_NO_FACTS.includes(key)) facts[key] = value === "yes" ? true : value === "no" ? false : value;
      else facts[key] = value;
    }
    const behaviours = BEHAVIOURS.filter((b) => values.behaviours.includes(b));
    const unknown = values.behaviours.filter((b) => !(BEHAVIOURS as readonly string[]).includes(b));
    if (behaviours.length > 0 || unknown.length > 0) facts.behaviours = [...behaviours, ...unknown];
    const question: BankQuestion = { ...base, scenario: values.scenario, answer: values.answer };
    if (values.offer.length > 0) question.options = [...OFFENCES.filter((o) => values.offer.includes(o)), ...values.offer.filter((o) => !(OFFENCES as readonly string[]).includes(o))];
    if (values.askFour) question.four = { present: [...FOUR_ELEMENTS.filter((e) => values.four.includes(e)), ...values.four.filter((e) => !(FOUR_ELEMENTS as readonly string[]).includes(e))] };
    question.facts = facts;
    if (Object.keys(values.feedback).length > 0) question.feedback = values.feedback;
    question.explanation = values.explanation;
    return { question, errors, optionRows: [] };
  }
  const optionRows: number[] = [];
  const used = new Set(values.options.map((o) => o.id).filter(Boolean));
  const letters = "abcdefghijklmnopqrstuvwxyz".split("");
  const options = values.options.flatMap((row, i) => {
    if (!row.id && !row.text && !row.feedback) return [];
    let id = row.id;
    if (!id) {
      id = letters.find((l) => !used.has(l)) ?? `option-${i + 1}`;
      used.add(id);
    }
    optionRows.push(i + 1);
    const option: Record<string, unknown> = { id, text: row.text };
    if (row.correct) option.correct = true;
    if (row.feedback) option.feedback = row.feedback;
    return [option];
  });
  return { question: { ...base, prompt: values.prompt, options, explanation: values.explanation }, errors, optionRows };
}

/**
 * The form field a checker problem belongs next to, from the path of the
 * problem in the bank (["questions", 3, "facts", "occasions"]) or, for a
 * problem known only by line, the question's key on that line.
 */
export function fieldForProblem(path: (string | number)[], type: string, optionRows: number[]): string {
  const [, , key, sub, leaf] = path;
  if (typeof key !== "string") return "form";
  if (key === "facts") return typeof sub === "string" && sub !== "behaviours" ? `facts-${sub}` : sub === "behaviours" ? "behaviours" : "facts";
  if (key === "feedback") return typeof sub === "string" ? `feedback-${sub}` : "feedback";
  if (key === "options") {
    if (type === "classify") return "offer";
    const row = typeof sub === "number" ? optionRows[sub] : undefined;
    return row ? `option-${row}-${typeof leaf === "string" && ["id", "feedback"].includes(leaf) ? leaf : "text"}` : "options";
  }
  if (["id", "type", "tags", "scenario", "prompt", "answer", "four", "explanation"].includes(key)) return key;
  return "form";
}

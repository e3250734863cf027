import { z } from "zod";
import {
  DECISION_STEPS,
  DecisionFactsSchema,
  applicableSteps,
  isStepApplicable,
  nextStep,
  pruneAnswers,
  type DecisionStep,
  type DecisionStepId,
  type StepCondition,
} from "#app/utils/decision-aid.ts";

/**
 * The decision aid keeps its state in the query string and nowhere else: GET
 * forms, so it works without JavaScript, the back button works, nothing is
 * stored and no request changes anything.
 *
 *   ?occasions=two-or-more&relationship=ex-partner&behaviours=following&step=fixation
 *
 * - one parameter per answered question, named by the step id (a checkbox
 *   question repeats its parameter);
 * - `step`: the page to show: a question's id, `check` or `result`;
 * - `answered`: set by a question's form: "I have just answered this one".
 *   The server checks it was answered (or shows the question again with an
 *   error) and redirects to the next page;
 * - `return=check`: the question was opened from a "Change" link, so the
 *   flow goes back to "Check your answers" once nothing is missing.
 */

export const AID_PATH = "/tools/is-it-stalking";

/** Answers as the query string carries them: a string for a radio question, a list for a checkbox question. */
export type QueryAnswers = Partial<Record<DecisionStepId, string | string[]>>;

export type AidPage = DecisionStepId | "check" | "result";

export type AidQuery = {
  answers: QueryAnswers;
  page?: AidPage;
  answered?: DecisionStepId;
  returnToCheck: boolean;
  /** No parameters at all: the start page. */
  empty: boolean;
};

/** Short names for "Check your answers" and the result page (GOV.UK: not the whole question). */
export const STEP_SUMMARY_LABELS: Record<DecisionStepId, string> = {
  occasions: "How many times",
  relationship: "Who the person is to the victim",
  behaviours: "What the person has done",
  fixation: "Fixated on or obsessed with the victim",
  fearOfViolenceTwice: "Victim feared violence on at least two occasions",
  seriousAlarmOrDistress: "Serious alarm or distress with a substantial effect on day-to-day life",
  alarmingOrDistressing: "A reasonable person would think it alarming or distressing",
  couldBeReasonable: "Could be lawful or reasonable (PHA s.1(3))",
  controllingOrCoercive: "A pattern of controlling or coercive behaviour",
  messageKind: "What the message was",
};

/** GOV.UK error messages: what to do, not what went wrong. One per step, so a new step cannot ship without one. */
export const STEP_REQUIRED_MESSAGES: Record<DecisionStepId, string> = {
  occasions: "Select how many times it has happened",
  relationship: "Select who the person is to the victim",
  behaviours: "Select what the person has done, or select ‘None of these’",
  fixation: "Select whether the person seems fixated on, or obsessed with, the victim, or select ‘Not known’",
  fearOfViolenceTwice: "Select yes if the victim has feared, on at least two occasions, that violence would be used",
  seriousAlarmOrDistress:
    "Select yes if it has caused the victim serious alarm or distress with a substantial effect on their day-to-day life",
  alarmingOrDistressing: "Select yes if a reasonable person would think the conduct alarming or distressing",
  couldBeReasonable: "Select yes if the conduct could be lawful or reasonable in the circumstances",
  controllingOrCoercive: "Select yes if it is a pattern of controlling or coercive behaviour",
  messageKind: "Select what the message was, or select ‘None of these’",
};

export function stepById(id: DecisionStepId): DecisionStep {
  const step = DECISION_STEPS.find((candidate) => candidate.id === id);
  if (!step) throw new Error(`No decision-aid step ${id}`);
  return step;
}

const stepIndex = (id: DecisionStepId) => DECISION_STEPS.findIndex((step) => step.id === id);

// ------------------------------------------------------------------ parsing

const quoted = (value: unknown) => `“${typeof value === "string" ? value : JSON.stringify(value)}”`;

function answerSchema(step: DecisionStep) {
  const option = z
    .string({ error: `Give one answer, not several, to the question: ${step.question}` })
    .refine((value) => step.options.some((candidate) => candidate.value === value), {
      error: (issue) => `${quoted(issue.input)} is not one of the answers to the question: ${step.question}`,
    });
  if (step.input === "radio") return option;
  // A checkbox question repeats its parameter; once is a single string.
  return z.preprocess(
    (value) => (typeof value === "string" ? [value] : value),
    z.array(option).transform((values) => [...new Set(values)]),
  );
}

const AnswersSchema = z.strictObject(
  Object.fromEntries(DECISION_STEPS.map((step) => [step.id, answerSchema(step).optional()])),
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `The address has ${issue.keys.map(quoted).join(", ")}, which this tool does not recognise.`
        : undefined,
  },
);

const StepIdSchema = DecisionFactsSchema.keyof();

const NavigationSchema = z.object({
  step: z
    .enum([...StepIdSchema.options, "check", "result"], {
      error: (issue) => `${quoted(issue.input)} is not a page of this tool.`,
    })
    .optional(),
  answered: z.enum(StepIdSchema.options, { error: (issue) => `${quoted(issue.input)} is not a question of this tool.` }).optional(),
  return: z.literal("check", { error: "The only page a changed answer can return to is “check”." }).optional(),
});
const NAVIGATION_KEYS = new Set(["step", "answered", "return"]);

/**
 * Reads and validates the query string. Any value that is not one the forms
 * can send (a typo, a tampered or truncated link) is a problem to show with
 * status 400, never a 500 and never silently ignored.
 */
export function parseAidQuery(params: URLSearchParams): { ok: true; query: AidQuery } | { ok: false; message: string } {
  const navigation: Record<string, string | string[]> = {};
  const answers: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    // Remix's single-fetch data requests (JavaScript on) add `_routes`.
    if (key === "_routes") continue;
    const values = params.getAll(key);
    const value = values.length === 1 ? (values[0] ?? "") : values;
    (NAVIGATION_KEYS.has(key) ? navigation : answers)[key] = value;
  }
  const parsedNavigation = NavigationSchema.safeParse(navigation);
  const parsedAnswers = AnswersSchema.safeParse(answers);
  const issues = [...(parsedNavigation.error?.issues ?? []), ...(parsedAnswers.error?.issues ?? [])];
  if (!parsedNavigation.success || !parsedAnswers.success) {
    return { ok: false, message: [...new Set(issues.map((issue) => issue.message))].join(" ") };
  }
  const query: AidQuery = {
    answers: {},
    page: parsedNavigation.data.step,
    answered: parsedNavigation.data.answered,
    returnToCheck: parsedNavigation.data.return === "check",
    empty: Object.keys(navigation).length + Object.keys(answers).length === 0,
  };
  for (const step of DECISION_STEPS) {
    const value = parsedAnswers.data[step.id];
    if (value === undefined) continue;
    // On the question just answered this is the user's mistake, shown at the
    // field; anywhere else the address was changed by hand.
    if (step.id !== query.answered && exclusiveConflict(step, value)) {
      return { ok: false, message: `‘None of these’ is given together with other answers to the question: ${step.question}` };
    }
    query.answers[step.id] = value;
  }
  return { ok: true, query };
}

/** An exclusive option ("None of these") ticked together with others: a problem for the user to fix. */
export function exclusiveConflict(step: DecisionStep, value: string | string[] | undefined): string | null {
  if (!Array.isArray(value) || value.length < 2) return null;
  const exclusive = step.options.find((option) => option.exclusive && value.includes(option.value));
  if (!exclusive) return null;
  return `Select what the person has done, or select ‘${exclusive.label}’ on its own`;
}

// ------------------------------------------------------------------ flow

/** Drops answers to questions that no longer apply (see pruneAnswers), keeping the query's shapes. */
export function prune(answers: QueryAnswers): QueryAnswers {
  const kept = pruneAnswers(answers);
  const result: QueryAnswers = {};
  for (const step of DECISION_STEPS) {
    const value = answers[step.id];
    if (value !== undefined && step.id in kept) result[step.id] = value;
  }
  return result;
}

/**
 * A question can be shown when it applies and every applicable question
 * before it has an answer; otherwise the page that can be shown is the first
 * question still to answer (or "check your answers").
 */
export function firstOpenPage(answers: QueryAnswers, wanted: AidPage): AidPage {
  const pruned = prune(answers);
  const open = nextStep(pruned);
  if (wanted === "check" || wanted === "result") return open ? open.id : wanted;
  if (!isStepApplicable(stepById(wanted), pruned)) return open ? open.id : "check";
  if (open && stepIndex(open.id) < stepIndex(wanted)) return open.id;
  return wanted;
}

/**
 * Where to go after answering `answered`. Normally the next applicable
 * question (already answered ones come pre-filled, as after "Back"); from a
 * "Change" link, the first question still to answer, then "check your answers".
 */
export function pageAfter(answers: QueryAnswers, answered: DecisionStepId, returnToCheck: boolean): AidPage {
  const pruned = prune(answers);
  const open = nextStep(pruned);
  if (returnToCheck) return open ? open.id : "check";
  const later = applicableSteps(pruned).find((step) => stepIndex(step.id) > stepIndex(answered));
  return later?.id ?? open?.id ?? "check";
}

/** The applicable question before `id`, or null for the first one. */
export function previousStep(answers: QueryAnswers, id: DecisionStepId): DecisionStepId | null {
  const earlier = applicableSteps(prune(answers)).filter((step) => stepIndex(step.id) < stepIndex(id));
  return earlier.at(-1)?.id ?? null;
}

/** The last applicable question: where "Back" goes from "check your answers". */
export function lastStep(answers: QueryAnswers): DecisionStepId {
  const steps = applicableSteps(prune(answers));
  return steps.at(-1)?.id ?? stepById("occasions").id;
}

// ------------------------------------------------------------------ progress

function conditionFields(condition: StepCondition | undefined, into: Set<DecisionStepId>) {
  if (!condition) return into;
  if ("all" in condition) condition.all.forEach((c) => conditionFields(c, into));
  else if ("any" in condition) condition.any.forEach((c) => conditionFields(c, into));
  else into.add(condition.field);
  return into;
}

/** The questions whose answers decide which other questions apply. */
const BRANCHING = DECISION_STEPS.reduce((fields, step) => conditionFields(step.when, fields), new Set<DecisionStepId>());

/**
 * How many questions the user will answer in all: the fewest and the most
 * over every way the questions still to come could be answered. Read from the
 * steps' conditions, so it follows the rules when they change.
 */
export function questionCount(answers: QueryAnswers): { min: number; max: number } {
  const totals: number[] = [];
  const walk = (index: number, current: QueryAnswers, count: number) => {
    const step = DECISION_STEPS[index];
    if (!step) {
      totals.push(count);
      return;
    }
    if (!isStepApplicable(step, current)) return walk(index + 1, current, count);
    if (current[step.id] !== undefined || !BRANCHING.has(step.id)) return walk(index + 1, current, count + 1);
    for (const option of step.options) walk(index + 1, { ...current, [step.id]: option.value }, count + 1);
  };
  walk(0, prune(answers), 0);
  return { min: Math.min(...totals), max: Math.max(...totals) };
}

/** "Question 3 of about 8", or "Question 3 of 7" once the rest of the path is known. */
export function progressCaption(answers: QueryAnswers, id: DecisionStepId): { number: number; caption: string } {
  const number = applicableSteps(prune(answers)).findIndex((step) => step.id === id) + 1;
  const { min, max } = questionCount(answers);
  return { number, caption: `Question ${number} of ${min === max ? "" : "about "}${max}` };
}

// ------------------------------------------------------------------ addresses

function appendAnswers(params: URLSearchParams, answers: QueryAnswers, except?: DecisionStepId) {
  for (const step of DECISION_STEPS) {
    const value = answers[step.id];
    if (value === undefined || step.id === except) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(step.id, item);
  }
}

/** The address of a page of the aid, answers in question order. */
export function aidHref(answers: QueryAnswers, page?: AidPage, options: { returnToCheck?: boolean } = {}): string {
  const params = new URLSearchParams();
  appendAnswers(params, answers);
  if (page) params.set("step", page);
  // Only a question returns to "check your answers"; the other pages have nowhere to return to.
  if (options.returnToCheck && page && page !== "check" && page !== "result") params.set("return", "check");
  const search = params.toString();
  return search ? `${AID_PATH}?${search}` : AID_PATH;
}

/** The other answers, carried through a question's GET form as hidden fields. */
export function hiddenAnswers(answers: QueryAnswers, except: DecisionStepId): [string, string][] {
  const params = new URLSearchParams();
  appendAnswers(params, answers, except);
  return [...params.entries()];
}

/** The labels of the options chosen, for "check your answers". */
export function answerLabels(step: DecisionStep, value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.map((v) => step.options.find((option) => option.value === v)?.label ?? v);
}

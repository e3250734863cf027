import { Form } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { ChoiceGroup, SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { BEHAVIOURS, BEHAVIOUR_LABELS, FIXATION_ANSWERS, MESSAGE_KINDS, MESSAGE_KIND_LABELS, OCCASIONS, RELATIONSHIPS, RELATIONSHIP_LABELS } from "#app/utils/decision-aid.ts";
import { FOUR_ELEMENTS, FOUR_LABELS, OFFENCES, OFFENCE_LABELS } from "#app/utils/offences.ts";
import type { QuestionFormValues } from "#app/utils/question-bank.ts";

const NOT_STATED = { value: "", label: "Not stated" };
const YES_NO = [NOT_STATED, { value: "yes", label: "Yes" }, { value: "no", label: "No" }];
const YES_NO_FACTS = [
  { key: "alarmingOrDistressing", label: "A reasonable person would think the conduct alarming or distressing (PHA s.1, s.7)" },
  { key: "fearOfViolenceTwice", label: "The victim feared violence on at least two occasions (s.4, s.4A)" },
  { key: "seriousAlarmOrDistress", label: "Serious alarm or distress with a substantial adverse effect on day-to-day activities (s.4A)" },
  { key: "couldBeReasonable", label: "The conduct could be lawful or reasonable (PHA s.1(3))" },
  { key: "controllingOrCoercive", label: "Repeated or continuous controlling or coercive behaviour (SCA 2015 s.76)" },
] as const;

/**
 * The add and the edit page of a question: breadcrumbs through the bank, the heading, what the page
 * says before the form (children), and the form with the refused post's values and errors when there are.
 */
export function QuestionFormPage({
  page,
  result,
  current,
  heading,
  submitLabel,
  children,
}: {
  page: { slug: string; moduleTitle: string; draftId: string; revision: number; editing: boolean; values: QuestionFormValues };
  result: { errors: Record<string, string>; values: QuestionFormValues } | undefined;
  current: ReactNode;
  heading: string;
  submitLabel: string;
  children?: ReactNode;
}) {
  const bank = `/studio/${page.slug}` as const;
  return (
    <>
      <Breadcrumbs trail={[{ to: bank, label: page.moduleTitle }, { to: `${bank}/questions`, label: "Questions" }]} current={current} />
      <h1>{heading}</h1>
      {children}
      <QuestionForm values={result?.values ?? page.values} errors={result?.errors ?? {}} draftId={page.draftId} revision={page.revision} editing={page.editing} submitLabel={submitLabel} />
    </>
  );
}

/** A message for the whole form or a group of fields, when there is one. */
function ErrorText({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="error-message" id={id}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

const errorsOf = (errors: Record<string, string>, field: string) => (errors[field] ? [errors[field]] : undefined);

/**
 * The form for one question of a bank: every field quiz.yaml has, in plain
 * HTML so it works without JavaScript. Classify fields and choice fields are
 * both shown; only those of the chosen type are saved.
 */
export function QuestionForm({
  values,
  errors,
  draftId,
  revision,
  editing,
  submitLabel,
}: {
  values: QuestionFormValues;
  errors: Record<string, string>;
  draftId: string;
  revision: number;
  editing: boolean;
  submitLabel: string;
}) {
  const summary = Object.entries(errors).map(([field, message]) => ({ href: `#${field === "form" ? "question-form" : field}`, message }));
  const facts = values.facts;
  // With JavaScript, only the chosen type's fields are shown; without, both sets are (the server saves only the chosen type's).
  const [type, setType] = useState(values.type);
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  useEffect(() => setType(values.type), [values.type]);
  const showClassify = !enhanced || type === "classify";
  const showChoice = !enhanced || type !== "classify";
  return (
    <>
      <ErrorSummary errors={summary} />
      <ErrorText id="form-error" message={errors.form} />
      <Form method="post" noValidate id="question-form" className="question-form">
        <input type="hidden" name="draftId" value={draftId} />
        <input type="hidden" name="revision" value={revision} />
        <SelectField
          id="type"
          name="type"
          label="Type"
          hint="Classify: the learner names the offence a scenario discloses. Single or multiple choice: a prompt with options."
          defaultValue={values.type}
          onChange={(event) => setType(event.currentTarget.value)}
          errors={errorsOf(errors, "type")}
          options={[
            { value: "classify", label: "Classify a scenario" },
            { value: "single", label: "Single choice (one right option)" },
            { value: "multiple", label: "Multiple choice (one or more right options)" },
          ]}
        />
        <TextField id="id" name="id" label="Question id" hint="Lower-case words joined by hyphens, unique in the bank, like rs-ex-partner-flowers" spellCheck={false} defaultValue={values.id} errors={errorsOf(errors, "id")} />
        <TextField id="tags" name="tags" label="Tags (optional)" hint="Lower-case words joined by hyphens, separated by commas, like ex-partner, online" spellCheck={false} defaultValue={values.tags} errors={errorsOf(errors, "tags")} />

        <fieldset className="fieldset" aria-describedby="classify-hint" hidden={!showClassify}>
          <legend className="fieldset__legend fieldset__legend--large">For a classify question</legend>
          <p className="hint" id="classify-hint">
            Left out when the type is single or multiple choice.
          </p>
          <TextAreaField id="scenario" name="scenario" label="Scenario" hint="2 to 5 sentences describing what happened" rows={5} defaultValue={values.scenario} errors={errorsOf(errors, "scenario")} />
          <SelectField
            id="answer"
            name="answer"
            label="Correct answer"
            hint="The offence the facts disclose: the decision aid must reach it from the facts below"
            defaultValue={values.answer}
            errors={errorsOf(errors, "answer")}
            options={[{ value: "", label: "Choose the offence" }, ...OFFENCES.map((o) => ({ value: o, label: OFFENCE_LABELS[o].long }))]}
          />
          <ChoiceGroup
            id="offer"
            name="offer"
            type="checkbox"
            legend="Offences offered"
            hint="Tick none to offer all eight; otherwise at least two, including the answer"
            defaultValue={values.offer}
            errors={errorsOf(errors, "offer")}
            options={OFFENCES.map((o) => ({ value: o, label: OFFENCE_LABELS[o].short }))}
          />
          <ChoiceGroup
            id="askFour"
            name="askFour"
            type="checkbox"
            legend="FOUR"
            defaultValue={values.askFour ? "yes" : ""}
            errors={errorsOf(errors, "askFour")}
            options={[{ value: "yes", label: "Also ask which FOUR elements are present" }]}
          />
          <ChoiceGroup
            id="four"
            name="four"
            type="checkbox"
            legend="FOUR elements present in the scenario"
            hint="Fixated, Obsessive, Unwanted, Repeated"
            defaultValue={values.four}
            errors={errorsOf(errors, "four")}
            options={FOUR_ELEMENTS.map((e) => ({ value: e, label: FOUR_LABELS[e] }))}
          />
          <fieldset className="fieldset" id="facts" aria-describedby={errors.facts ? "facts-hint facts-error" : "facts-hint"}>
            <legend className="fieldset__legend">The scenario&rsquo;s facts, in the decision aid&rsquo;s terms</legend>
            <p className="hint" id="facts-hint">
              The checker runs them through the decision aid on /tools/is-it-stalking and refuses the question unless the aid reaches the correct answer.
            </p>
            <ErrorText id="facts-error" message={errors.facts} />
            <SelectField id="facts-occasions" name="facts-occasions" label="Occasions" defaultValue={facts.occasions ?? ""} errors={errorsOf(errors, "facts-occasions")} options={[{ value: "", label: "Choose" }, ...OCCASIONS.map((o) => ({ value: o, label: o }))]} />
            <SelectField id="facts-relationship" name="facts-relationship" label="Relationship" defaultValue={facts.relationship ?? ""} errors={errorsOf(errors, "facts-relationship")} options={[NOT_STATED, ...RELATIONSHIPS.map((r) => ({ value: r, label: RELATIONSHIP_LABELS[r] }))]} />
            <ChoiceGroup id="behaviours" name="behaviours" type="checkbox" legend="Behaviours" defaultValue={values.behaviours} errors={errorsOf(errors, "behaviours")} options={BEHAVIOURS.map((b) => ({ value: b, label: BEHAVIOUR_LABELS[b] }))} />
            <SelectField id="facts-fixation" name="facts-fixation" label="Fixation on the victim" defaultValue={facts.fixation ?? ""} errors={errorsOf(errors, "facts-fixation")} options={[NOT_STATED, ...FIXATION_ANSWERS.map((f) => ({ value: f, label: f === "not-known" ? "Not known" : f === "yes" ? "Yes" : "No" }))]} />
            {YES_NO_FACTS.map((f) => (
              <SelectField key={f.key} id={`facts-${f.key}`} name={`facts-${f.key}`} label={f.label} defaultValue={facts[f.key] ?? ""} errors={errorsOf(errors, `facts-${f.key}`)} options={YES_NO} />
            ))}
            <SelectField id="facts-messageKind" name="facts-messageKind" label="A single message was" defaultValue={facts.messageKind ?? ""} errors={errorsOf(errors, "facts-messageKind")} options={[NOT_STATED, ...MESSAGE_KINDS.map((m) => ({ value: m, label: MESSAGE_KIND_LABELS[m] }))]} />
          </fieldset>
          <details open={Object.keys(values.feedback).length > 0 || Object.keys(errors).some((k) => k.startsWith("feedback-"))}>
            <summary>Feedback for each offence chosen (optional)</summary>
            {OFFENCES.map((o) => (
              <TextAreaField key={o} id={`feedback-${o}`} name={`feedback-${o}`} label={`If the learner chooses ${OFFENCE_LABELS[o].short}`} rows={2} defaultValue={values.feedback[o] ?? ""} errors={errorsOf(errors, `feedback-${o}`)} />
            ))}
          </details>
        </fieldset>

        <fieldset className="fieldset" aria-describedby="choice-hint" hidden={!showChoice}>
          <legend className="fieldset__legend fieldset__legend--large">For a single or multiple choice question</legend>
          <p className="hint" id="choice-hint">
            Left out when the type is classify. Blank rows are ignored; an option without an id gets the next free letter.
          </p>
          <TextAreaField id="prompt" name="prompt" label="Prompt" rows={3} defaultValue={values.prompt} errors={errorsOf(errors, "prompt")} />
          <ErrorText id="options" message={errors.options} />
          {values.options.map((option, i) => {
            const row = i + 1;
            return (
              <fieldset className="fieldset option-row" key={row}>
                <legend className="fieldset__legend">Option {row}</legend>
                <TextField id={`option-${row}-id`} name={`option-${row}-id`} label="Id" spellCheck={false} defaultValue={option.id} errors={errorsOf(errors, `option-${row}-id`)} />
                <TextField id={`option-${row}-text`} name={`option-${row}-text`} label="Text" defaultValue={option.text} errors={errorsOf(errors, `option-${row}-text`)} />
                <TextField id={`option-${row}-feedback`} name={`option-${row}-feedback`} label="Feedback (optional)" defaultValue={option.feedback} errors={errorsOf(errors, `option-${row}-feedback`)} />
                <div className="choice">
                  <input className="choice__input" type="checkbox" id={`option-${row}-correct`} name="correct" value={String(row)} defaultChecked={option.correct} />
                  <label className="choice__label" htmlFor={`option-${row}-correct`}>
                    Option {row} is correct
                  </label>
                </div>
              </fieldset>
            );
          })}
        </fieldset>

        <TextAreaField id="explanation" name="explanation" label="Explanation" hint="Shown after submission whatever the learner answered: name the legal test that decides it" rows={5} defaultValue={values.explanation} errors={errorsOf(errors, "explanation")} />
        {editing ? <Button>{submitLabel}</Button> : <p>This draft is waiting for review: it cannot change until a reviewer returns it.</p>}
      </Form>
    </>
  );
}

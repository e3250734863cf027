import { Form } from "@remix-run/react";
import { useMemo, type FormEvent } from "react";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { ChoiceGroup } from "#app/components/ui/field.tsx";
import type { DecisionStep } from "#app/utils/decision-aid.ts";
import { BackLink } from "./navigation.tsx";

export type AidQuestionProps = {
  step: DecisionStep;
  /** The aid's path: the GET form sends the whole state there. */
  action: string;
  caption: string;
  /** The answer already given (after "Back" or "Change"). */
  value: string[];
  /** The other answers, carried as hidden fields. */
  hidden: [string, string][];
  backHref: string;
  returnToCheck: boolean;
  error?: string;
};

/**
 * One question per page (GOV.UK): the legend is the page heading. A GET form,
 * so the answers so far travel in the address and nothing is stored.
 * `noValidate`: a missing answer gets the server's error summary, not the
 * browser's bubble.
 */
export function AidQuestion({ step, action, caption, value, hidden, backHref, returnToCheck, error }: AidQuestionProps) {
  // Memoised: ErrorSummary refocuses itself whenever its list changes identity.
  const errors = useMemo(() => (error ? [{ href: `#${step.id}-0`, message: error }] : []), [error, step.id]);
  const exclusive = step.options.filter((option) => option.exclusive).map((option) => option.value);

  // Enhancement only (the server rejects the combination too): ticking
  // "None of these" clears the other boxes, and ticking another clears it.
  function onChange(event: FormEvent<HTMLFormElement>) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "checkbox" || !input.checked) return;
    for (const box of event.currentTarget.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="${step.id}"]`)) {
      if (box !== input && (exclusive.includes(input.value) || exclusive.includes(box.value))) box.checked = false;
    }
  }

  return (
    <>
      <BackLink to={backHref} />
      <div className="two-thirds">
        <ErrorSummary errors={errors} />
        <Form method="get" action={action} noValidate onChange={exclusive.length > 0 ? onChange : undefined}>
          {hidden.map(([name, hiddenValue], index) => (
            <input key={`${name}-${index}`} type="hidden" name={name} value={hiddenValue} />
          ))}
          <ChoiceGroup
            id={step.id}
            name={step.id}
            type={step.input}
            legendClassName="fieldset__legend aid-question__legend"
            legend={
              <>
                <span className="caption">{caption}</span>
                <h1 className="aid-heading aid-question__heading" tabIndex={-1}>
                  {step.question}
                </h1>
              </>
            }
            hint={step.hint}
            errors={error ? [error] : undefined}
            options={step.options.map((option) => ({ value: option.value, label: option.label, hint: option.hint }))}
            defaultValue={value}
          />
          <input type="hidden" name="answered" value={step.id} />
          {returnToCheck ? <input type="hidden" name="return" value="check" /> : null}
          <Button>Continue</Button>
        </Form>
      </div>
    </>
  );
}

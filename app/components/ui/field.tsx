import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

export type FieldErrors = string[] | undefined;

/** The ids of a field's hint and error, and what its control is described by (any extra ids first). */
function describe(id: string, hint: ReactNode, errors: FieldErrors, extra?: string) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return { hintId, errorId, describedBy: [extra, hintId, errorId].filter(Boolean).join(" ") || undefined };
}

/** The hint and the error message under a label or legend. */
function HintAndError({ hint, hintId, errors, errorId }: { hint?: ReactNode; hintId?: string; errors?: FieldErrors; errorId?: string }) {
  return (
    <>
      {hint ? (
        <div id={hintId} className="hint">
          {hint}
        </div>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="error-message">
          <span className="visually-hidden">Error: </span>
          {errors.join(". ")}
        </p>
      ) : null}
    </>
  );
}

/** What every single control of a field carries: its id, its class (marked when in error) and what describes it. */
type ControlProps = { id: string; className: string; "aria-describedby": string | undefined; "aria-invalid": true | undefined };

/** Label, hint and error above the control, GOV.UK style; errors linked by aria-describedby. */
function FieldShell({
  id,
  label,
  hint,
  errors,
  controlClass,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: FieldErrors;
  /** The control's own classes ("input" and any the caller adds). */
  controlClass: (string | undefined)[];
  children: (control: ControlProps) => ReactNode;
}) {
  const { hintId, errorId, describedBy } = describe(id, hint, errors);
  const invalid = !!errors?.length;
  const [base, ...more] = controlClass;
  const control: ControlProps = {
    id,
    className: [base, invalid ? "input--error" : "", ...more].filter(Boolean).join(" "),
    "aria-describedby": describedBy,
    "aria-invalid": invalid || undefined,
  };
  return (
    <div className={`form-group${invalid ? " form-group--error" : ""}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <HintAndError hint={hint} hintId={hintId} errors={errors} errorId={errorId} />
      {children(control)}
    </div>
  );
}

type Common = { id: string; label: ReactNode; hint?: ReactNode; errors?: FieldErrors };

export function TextField({ id, label, hint, errors, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} controlClass={["input", className]}>
      {(control) => <input {...control} {...input} />}
    </FieldShell>
  );
}

export function TextAreaField({ id, label, hint, errors, className, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} controlClass={["textarea", className]}>
      {(control) => <textarea {...control} {...input} />}
    </FieldShell>
  );
}

export function SelectField({
  id,
  label,
  hint,
  errors,
  options,
  className,
  ...input
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} controlClass={["select", className]}>
      {(control) => (
        <select {...control} {...input}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** A fieldset of radios or checkboxes with a legend, hint and error. */
export function ChoiceGroup({
  id,
  legend,
  legendClassName,
  hint,
  errors,
  type,
  name,
  options,
  defaultValue,
  required,
  describedBy: extraDescribedBy,
}: {
  /** Ids of text elsewhere that this question depends on (a scenario above it). */
  describedBy?: string;
  id: string;
  legend: ReactNode;
  legendClassName?: string;
  hint?: ReactNode;
  errors?: FieldErrors;
  type: "radio" | "checkbox";
  name: string;
  options: { value: string; label: ReactNode; hint?: ReactNode }[];
  defaultValue?: string | string[];
  required?: boolean;
}) {
  const { hintId, errorId, describedBy } = describe(id, hint, errors, extraDescribedBy);
  const selected = new Set(Array.isArray(defaultValue) ? defaultValue : defaultValue ? [defaultValue] : []);
  return (
    <div className={`form-group${errors?.length ? " form-group--error" : ""}`}>
      <fieldset className="fieldset" aria-describedby={describedBy} id={id}>
        <legend className={legendClassName ?? "fieldset__legend"}>{legend}</legend>
        <HintAndError hint={hint} hintId={hintId} errors={errors} errorId={errorId} />
        <div className={type === "radio" ? "radios" : "checkboxes"}>
          {options.map((option, index) => {
            const optionId = `${id}-${index}`;
            return (
              <div className="choice" key={option.value}>
                <input
                  className="choice__input"
                  id={optionId}
                  type={type}
                  name={name}
                  value={option.value}
                  defaultChecked={selected.has(option.value)}
                  required={type === "radio" ? required : undefined}
                  aria-describedby={option.hint ? `${optionId}-hint` : undefined}
                />
                <label className="choice__label" htmlFor={optionId}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div id={`${optionId}-hint`} className="hint choice__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** What a field component needs of a conform field: its id, name, errors and starting value. */
export type BoundField = { id: string; name: string; errors?: FieldErrors; initialValue?: unknown };

/**
 * The id, name, errors and default value of a form field from its conform
 * metadata, spread into TextField, TextAreaField, SelectField or ChoiceGroup:
 * `<TextField {...bindField(fields.name)} label="Full name" />`. `fallback` is
 * the starting value when the form has none (a first visit).
 */
export function bindField(field: BoundField, fallback = "") {
  return { id: field.id, name: field.name, errors: field.errors, defaultValue: typeof field.initialValue === "string" ? field.initialValue : fallback };
}

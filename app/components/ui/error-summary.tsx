import { useEffect, useRef } from "react";

export type SummaryError = { href: string; message: string };

/**
 * GOV.UK-style error summary at the top of a failed form: a list of links to
 * each field with a problem. Focused when it appears, so screen readers
 * announce it and keyboard users start there.
 */
export function ErrorSummary({ errors, title = "There is a problem" }: { errors: SummaryError[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const count = errors.length;
  // Focus when the set of problems changes, not on every re-render (a new array with the same errors).
  const signature = errors.map((e) => `${e.href}|${e.message}`).join("\n");
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (count === 0) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {title}
      </h2>
      <ul className="error-summary__list">
        {errors.map((e) => (
          <li key={`${e.href}${e.message}`}>
            <a href={e.href}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

import { Form, Link } from "@remix-run/react";
import { Button } from "./button.tsx";

/**
 * The confirmation step of a delete, removal, withdrawal or revocation: its
 * own page state (one question, what will happen, a warning button and a way
 * back), reached by a link or a first post, so it works without JavaScript.
 * The form posts `intent` with `fields` as hidden inputs.
 */
export function ConfirmAction({
  caption,
  question,
  consequences,
  intent,
  fields = {},
  confirmLabel,
  cancelTo,
  reloadDocument = false,
}: {
  caption: string;
  question: string;
  consequences: string[];
  intent: string;
  fields?: Record<string, string>;
  confirmLabel: string;
  cancelTo: string;
  /** When the record shown at this address goes away, post as a full page (it must not be reloaded in place). */
  reloadDocument?: boolean;
}) {
  return (
    <div className="two-thirds">
      <span className="caption">{caption}</span>
      <h1>{question}</h1>
      <div className="notification notification--warning" role="region" aria-label="What this will do">
        <p className="notification__title">Are you sure? This will:</p>
        <ul>
          {consequences.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </div>
      <Form method="post" reloadDocument={reloadDocument} className="button-group">
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <Button variant="warning">{confirmLabel}</Button>
        <Link to={cancelTo}>No, go back</Link>
      </Form>
    </div>
  );
}

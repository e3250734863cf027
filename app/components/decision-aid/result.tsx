import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import type { DecisionOutcome } from "#app/utils/decision-aid.ts";
import { AnswerSummary, type AnswerRow } from "./answer-summary.tsx";
import { BackLink } from "./navigation.tsx";
import { WithPhoneLinks } from "./phone.tsx";
import { PLAIN_SUMMARY } from "./plain-summary.ts";

function Section({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <section className="aid-section">
      <h2>{title}</h2>
      <ul className="aid-list">
        {items.map((item) => (
          <li key={item}>
            <WithPhoneLinks text={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** window.print needs JavaScript: the button appears only once the page has hydrated. */
function PrintButton() {
  const [canPrint, setCanPrint] = useState(false);
  useEffect(() => setCanPrint(true), []);
  if (!canPrint) return null;
  return (
    <Button
      type="button"
      variant="secondary"
      onClick={() => {
        // A closed disclosure does not print: the printout is the whole result.
        document.querySelectorAll<HTMLDetailsElement>(".aid-detail").forEach((details) => (details.open = true));
        window.print();
      }}
    >
      Print this page
    </Button>
  );
}

/**
 * The outcome of the rules: the answer and three plain sentences first, then
 * the legal detail (why, other offences, what to record, safeguarding) behind
 * one disclosure, one heading per part so screen-reader users can jump
 * between them once it is open. Printable: the print styles drop the header,
 * footer, back link and buttons, and Print opens the disclosure.
 */
export function AidResult({
  outcome,
  rows,
  checkHref,
  startHref,
}: {
  outcome: DecisionOutcome;
  rows: AnswerRow[];
  checkHref: string;
  startHref: string;
}) {
  return (
    <>
      <BackLink to={checkHref} />
      <div className="aid-result">
        <h1 className="aid-heading aid-result__title" tabIndex={-1}>
          <span className="aid-result__caption">{outcome.offence === "not-a-crime" ? "Likely outcome" : "Likely offence"}</span>{" "}
          {outcome.label}
        </h1>
      </div>
      <div className="two-thirds">
        <div className="aid-plain">
          {PLAIN_SUMMARY[outcome.offence].map((sentence) => (
            <p key={sentence}>
              <WithPhoneLinks text={sentence} />
            </p>
          ))}
        </div>
        <details className="aid-detail">
          <summary>The legal detail: why, what to record and safeguarding</summary>
          <Section title="Why" items={outcome.reasons} />
          <Section title="Also consider" items={outcome.alsoConsider} />
          <Section title="What to record" items={outcome.toRecord} />
          <Section title="Safeguarding" items={outcome.safeguarding} />
          <Section title="Limits of this aid" items={outcome.caveats} />
        </details>
      </div>
      <div className="aid-wide">
        <h2>Your answers</h2>
        <AnswerSummary rows={rows} />
        <p className="no-print">
          <Link to={checkHref}>Change your answers</Link>
        </p>
        <div className="button-group no-print">
          <PrintButton />
          <ButtonLink to={startHref} variant="secondary">
            Start again
          </ButtonLink>
        </div>
      </div>
    </>
  );
}

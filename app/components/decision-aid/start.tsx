import { ButtonLink } from "#app/components/ui/button.tsx";
import { PhoneLink } from "./phone.tsx";

/** The start page: what the aid does, its limits, emergency numbers, "Start now". */
export function AidStart({ startHref, maxQuestions }: { startHref: string; maxQuestions: number }) {
  return (
    <div className="two-thirds">
      <span className="caption">A tool for frontline staff</span>
      <h1 className="aid-heading" tabIndex={-1}>
        Is it stalking?
      </h1>
      <p className="lead">
        Answer a few questions about what has happened to see the likely offence in England and Wales, and what to do
        next.
      </p>
      <p>Use it while you take a call or a report. It tells you:</p>
      <ul>
        <li>the likely offence, and why</li>
        <li>other offences to consider</li>
        <li>what to record</li>
        <li>the safeguarding steps to take, such as the S-DASH risk checklist and referrals</li>
      </ul>
      <p>There are up to {maxQuestions} questions, each with a choice of answers. Most people finish in 2 or 3 minutes.</p>
      <div className="aid-warning">
        <span className="aid-warning__icon" aria-hidden="true">
          !
        </span>
        <p className="aid-warning__text">
          <span className="visually-hidden">Warning: </span>
          If anyone is in immediate danger, call 999. The National Stalking Helpline is on <PhoneLink number="0808 802 0300" />.
        </p>
      </div>
      <ButtonLink to={startHref} className="aid-start-button">
        Start now
      </ButtonLink>
      <div className="inset">
        <p>
          <strong>Think stalking first.</strong> Each act can look trivial on its own: look at the whole pattern,
          including incidents that were never reported. In a harassment case, record why it is not stalking.
        </p>
      </div>
      <h2>Before you start</h2>
      <ul>
        <li>
          The tool suggests a likely offence from your answers. It is not legal advice: the CPS legal guidance covers
          charging, and your force crime registrar covers recording.
        </li>
        <li>It covers the law of England and Wales only.</li>
        <li>
          Nothing is saved. Your answers are kept only in the page address, so the browser&apos;s back button works, and
          no names or personal details are asked for.
        </li>
      </ul>
    </div>
  );
}

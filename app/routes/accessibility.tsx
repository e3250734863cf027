import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Accessibility statement – Distinct" }];

// A static page: no loader. The benchmark also uses it as the framework's own ceiling.
export default function AccessibilityPage() {
  return (
    <div className="two-thirds">
      <h1>Accessibility statement</h1>
      <p className="lead">
        Distinct is for everyone who needs the training, whatever device they use and however they use it.
      </p>
      <h2>What you can expect</h2>
      <ul>
        <li>Every page and every task works without JavaScript, including on locked-down force computers.</li>
        <li>You can use the whole service with a keyboard alone, and with a screen reader.</li>
        <li>Text reflows to a single column down to 320 pixels wide, and at up to 400% zoom.</li>
        <li>Status is always given in words, never by colour alone.</li>
        <li>Forms list every problem at the top and next to the question it is about.</li>
      </ul>
      <h2>How we test</h2>
      <p>
        Each release is checked against the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA with automated
        tests of every page in a real browser, with JavaScript on and off.
      </p>
      <h2>Reporting a problem</h2>
      <p>
        If something does not work for you, tell your training lead, who can raise it with the trust. Say which page
        you were on and what you were trying to do.
      </p>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

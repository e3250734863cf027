import type { ReactNode } from "react";
import { PlainLink } from "./plain-link.tsx";

/** Where a page sits: a link to each page above it, then the page itself (aria-current). */
export function Breadcrumbs({ trail, current }: { trail: { to: `/${string}`; label: ReactNode }[]; current: ReactNode }) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        {trail.map((step) => (
          <li key={step.to}>
            <PlainLink to={step.to}>{step.label}</PlainLink>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}

import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** Where a page sits: a link to each page above it, then the page itself (aria-current). */
export function Breadcrumbs({ trail, current }: { trail: { to: string; label: ReactNode }[]; current: ReactNode }) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        {trail.map((step) => (
          <li key={step.to}>
            <Link to={step.to}>{step.label}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}

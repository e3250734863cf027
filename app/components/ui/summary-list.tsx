import type { ReactNode } from "react";

/** One row of a summary list (`<dl className="summary-list">`): what, then its value. */
export function SummaryRow({ label, children, className }: { label: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={className ? `summary-list__row ${className}` : "summary-list__row"}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

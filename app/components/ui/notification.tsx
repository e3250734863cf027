import type { ReactNode } from "react";

/** A banner for the result of an action ("Your changes were saved") or important information. */
export function Notification({ tone = "info", title, children }: { tone?: "info" | "success" | "warning"; title: string; children?: ReactNode }) {
  return (
    <div className={`notification notification--${tone}`} role={tone === "success" ? "status" : "region"} aria-label={title}>
      <p className="notification__title">{title}</p>
      {children ? <div className="notification__body">{children}</div> : null}
    </div>
  );
}

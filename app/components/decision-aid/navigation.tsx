import { Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/** GOV.UK back link: to the previous question, not the browser's history (which may hold an error page). */
export function BackLink({ to }: { to: string }) {
  return (
    <Link to={to} className="aid-back-link no-print">
      Back
    </Link>
  );
}

/**
 * With JavaScript on, Remix moves between questions without loading a page,
 * so a screen reader hears nothing. Move focus to the new page's heading, as
 * a page load would announce it; the error summary focuses itself instead.
 * Headings take focus with tabIndex={-1} and the class `aid-heading`.
 */
export function useFocusHeadingOnNavigation() {
  const location = useLocation();
  const firstKey = useRef(location.key);
  useEffect(() => {
    if (location.key === firstKey.current) return;
    if (document.querySelector(".error-summary")) return;
    document.querySelector<HTMLElement>("main .aid-heading")?.focus();
  }, [location.key]);
}

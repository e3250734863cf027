import { useNavigate } from "@remix-run/react";
import { useEffect, type AnchorHTMLAttributes } from "react";

/** The attribute that marks a plain link for client-side navigation. */
const MARK = "data-client-nav";

/**
 * A link to a page of this site, rendered as a plain `<a>`: for lists of
 * links on pages served often (a lesson's contents, its previous and next,
 * breadcrumbs). Remix's `<Link>` runs a dozen hooks per link on every render
 * (its address resolved twice, the router's navigate, its location,
 * prefetch state): React Router's part alone is 4-5 µs a link over a plain
 * anchor, eleven times on every lesson page (ADR 055). This one renders the anchor
 * alone, and `<ClientNavigation>` in the root gives every such link the
 * client-side navigation `<Link>` gives: one click handler for the document.
 * Without JavaScript, or where the root is not rendered (an error page), it
 * is an ordinary link. `data-discover` lets Remix find its route ahead of the
 * click, as it does for `<Link>`.
 *
 * `to` is a path from the site's root ("/modules/..."): nothing is resolved
 * against the current route.
 */
export function PlainLink({ to, ...rest }: { to: `/${string}` } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  return <a {...rest} href={to} data-discover="true" {...{ [MARK]: "" }} />;
}

/** Whether a click on a link is for the router: the main button, no modifier key, this tab, not a download, this site. */
export function isRouterClick(event: MouseEvent, anchor: HTMLAnchorElement, origin: string): boolean {
  if (event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return false;
  if (anchor.target && anchor.target !== "_self") return false;
  if (anchor.hasAttribute("download")) return false;
  return new URL(anchor.href).origin === origin;
}

/**
 * Client-side navigation for every `<PlainLink>` on the page, as `<Link>`
 * navigates: the click's default prevented and the router sent to the link's
 * address, replacing the history entry when that is the address already
 * shown (as a browser does for a plain link to the same page). Rendered once,
 * in the root.
 */
export function ClientNavigation() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const anchor = event.target instanceof Element ? event.target.closest(`a[${MARK}]`) : null;
      if (!(anchor instanceof HTMLAnchorElement) || !isRouterClick(event, anchor, window.location.origin)) return;
      event.preventDefault();
      const url = new URL(anchor.href);
      const path = `${url.pathname}${url.search}${url.hash}`;
      navigate(path, { replace: path === `${window.location.pathname}${window.location.search}${window.location.hash}` });
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
  return null;
}

import { getRequestContext } from "#app/services/request-context.server.ts";

/**
 * Large HTML a page renders with dangerouslySetInnerHTML (a lesson) would
 * otherwise travel twice in a page request: once rendered, and once again,
 * escaped, in the loader data Remix embeds for hydration. For a page
 * request the loader data carries null and the HTML goes to the render by
 * the request context (entry.server.tsx provides it, DocumentHtml reads it);
 * the browser keeps the server's HTML when it hydrates. A client-side
 * navigation (single fetch's `.data` request) renders nothing on the
 * server, so its loader data carries the HTML as before.
 */
export function htmlForLoaderData(name: string, html: string): string | null {
  const context = getRequestContext();
  if (!context?.document) return html;
  (context.documentHtml ??= new Map()).set(name, html);
  return null;
}

/** The HTML kept out of this request's loader data, for the render. */
export function documentHtmlOfRequest(): ReadonlyMap<string, string> | undefined {
  return getRequestContext()?.documentHtml;
}

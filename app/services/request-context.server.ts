import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Per-request state the Express server sets up around Remix: the client's
 * address (for rate limits) and a place for auth to append Set-Cookie headers
 * when it refreshes a session cookie while a loader reads it.
 */
export type RequestContext = {
  clientAddress: string;
  appendSetCookie: (cookie: string) => void;
  /** Memoised session lookup: several loaders in one request ask once. */
  sessionPromise?: Promise<unknown>;
  /**
   * A request for a whole page (not single fetch's `.data` request for a
   * client-side navigation): HTML that only the rendered page needs is kept
   * out of the loader data the page also carries for hydration
   * (app/utils/document-html.server.ts).
   */
  document?: boolean;
  /** That HTML, by name, for the render (entry.server.tsx passes it on). */
  documentHtml?: Map<string, string>;
};

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The client address, or "unknown" outside a request (tests, jobs). */
export function getClientAddress(): string {
  return storage.getStore()?.clientAddress ?? "unknown";
}

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
  /**
   * This browser sent a form that may write its learner's progress within the last few seconds, perhaps to another
   * instance (OWN_WRITE_COOKIE): what this process kept of a learner's progress is not used, so a learner always
   * reads their own writes (ADR 047).
   */
  readsOwnWrites?: boolean;
};

/**
 * Set on the answer to every request that may write, on PostgreSQL (ADR 047). Its presence is all that counts;
 * it carries nothing, and a forged one only makes that browser's reads go to the database.
 */
export const OWN_WRITE_COOKIE = "distinct_wrote";
/** Seconds: far longer than another instance takes to hear of a commit (milliseconds; ADR 047). */
export const OWN_WRITE_SECONDS = 10;

/**
 * A request by which learners write their own progress: any method but GET and HEAD under /modules/ (start,
 * complete a lesson, start and submit an attempt) or /scorm/ (a package's launch and result).
 */
export function mayWriteOwnProgress(method: string, path: string): boolean {
  return method !== "GET" && method !== "HEAD" && (path.startsWith("/modules/") || path.startsWith("/scorm/"));
}

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

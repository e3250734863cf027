/**
 * Throws a Response (404 by default) when `condition` is falsy: a missing row
 * is a "not found" page, never a 500.
 */
export function invariantResponse(
  condition: unknown,
  message: string = "Not found",
  init: ResponseInit = { status: 404 },
): asserts condition {
  if (!condition) {
    throw new Response(message, { statusText: init.status === 404 ? "Not Found" : undefined, ...init, headers: { "Content-Type": "text/plain; charset=utf-8", ...init.headers } });
  }
}

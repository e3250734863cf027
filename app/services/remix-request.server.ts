/**
 * Between Express and Remix: the Fetch Request Remix handles, and Remix's
 * Response written back, as @remix-run/express does, with two differences
 * (below): the body is the one the server already read within its limit,
 * and the request's signal also ends when the response has been sent.
 */
import type express from "express";
import { hasBody } from "#app/services/request-guard.server.ts";
import { writeBody } from "#app/services/write-body.server.ts";

/**
 * The reason a request's signal gives once its response has been sent: one
 * object for every request (aborting with none builds an error, and its
 * stack, each time).
 */
export const RESPONSE_SENT = Object.freeze({ name: "ResponseSent", message: "the response has been sent" });

/**
 * The Fetch Request Remix handles, built as @remix-run/express's
 * createRemixRequest builds it, except for the body (the one already read,
 * and limited, by the caller instead of the live stream) and the end of its
 * signal.
 *
 * The signal aborts when the client goes away before the response is sent
 * (loaders and actions stop), as Remix's adapter does, and also once the
 * response has been sent (ADR 054). Remix's adapter leaves it unaborted then,
 * and Remix gives every page's loader data a 4.95 s timer that only the
 * signal's abort clears: each page sent left its request, response, React
 * tree and loader data reachable from a pending timer for five seconds, and
 * the timer then built an error ("Server Timeout") to end a stream already
 * finished. Under load that was thousands of requests held at once (14,764
 * responses in a heap snapshot after 30 s at about 1,000 pages a second), the
 * heap past 1 GB and rising, and the collector marking them over and over.
 * Nothing reads the signal after the response has been sent except what
 * waits to be cleared by it.
 */
export function remixRequest(req: express.Request, res: express.Response, body: Buffer | null, appUrl: URL): Request {
  // req.hostname has no port: take it from X-Forwarded-Host or Host.
  const portOf = (header: string | undefined) => Number.parseInt(header?.split(":")[1] ?? "", 10);
  const forwardedPort = portOf(req.get("X-Forwarded-Host"));
  const hostPort = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : null;
  const url = new URL(`${req.protocol}://${req.hostname}${port !== null ? `:${port}` : ""}${req.originalUrl}`);
  const controller = new AbortController();
  // Sent: end what waits on the request. Closed first: the client went away before the answer (AbortError).
  res.once("finish", () => controller.abort(RESPONSE_SENT));
  res.once("close", () => controller.abort());
  const headers = remixHeaders(req.headers);
  // The front door let this post through because its Origin is APP_URL's (checkOrigin). Remix checks it again, against
  // X-Forwarded-Host or Host: a proxy that passes on its own Host (or a client's X-Forwarded-Host) made that throw, a
  // 500 before the action. Tell Remix the host the front door checked against.
  if (hasBody(req.method) && headers.get("origin") === appUrl.origin) headers.set("x-forwarded-host", appUrl.host);
  return new Request(url.href, {
    method: req.method,
    headers,
    signal: controller.signal,
    // A copy typed as the Fetch API wants it (at most the body limit).
    ...(body !== null ? { body: Uint8Array.from(body) } : {}),
  });
}

function remixHeaders(incoming: express.Request["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(incoming)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  return headers;
}

/** As @remix-run/express sends Remix's answer. */
export async function sendRemixResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeBody(response.body, res);
  else res.end();
}

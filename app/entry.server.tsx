import crypto from "node:crypto";
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { DocumentHtmlProvider } from "./components/document-html.tsx";
import { contentSecurityPolicyFor } from "./utils/csp.server.ts";
import { documentHtmlOfRequest } from "./utils/document-html.server.ts";
import { databaseUnavailable, noteRequestError } from "./utils/db-availability.server.ts";
import { closeBodyAtEnd } from "./utils/html-stream.server.ts";
import { getEnv } from "./utils/env.server.ts";
import { createLogger } from "./utils/logger.server.ts";
import { NonceProvider } from "./utils/nonce-provider.tsx";
import { stripeFormActions } from "./utils/stripe-origins.server.ts";

const ABORT_DELAY = 5_000;
const log = createLogger("render");

/** The policy with a slot for the nonce, built once per process (the environment is fixed at boot). */
let policy: ((nonce: string) => string) | undefined;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = crypto.randomBytes(16).toString("base64");
  const env = getEnv();
  // A loader that failed because the database went away: say so (503, try
  // again), rather than a 500 that reads as a fault in the page.
  if (responseStatusCode === 500 && databaseUnavailable()) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", "10");
  }
  policy ??= contentSecurityPolicyFor({ production: env.production, formActions: stripeFormActions() });
  responseHeaders.set("Content-Security-Policy", policy(nonce));
  // Bots and no-JS crawlers get the whole document at once; browsers stream.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <DocumentHtmlProvider value={documentHtmlOfRequest()}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </DocumentHtmlProvider>
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          // Single fetch's closing script is written after the shell: keep it inside <body>.
          const stream = createReadableStreamFromReadable(body.pipe(closeBodyAtEnd()));
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.error("render error", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  noteRequestError(error);
  // A refused request (a POST where there is no form, an unknown address) is
  // the client's mistake, answered with its 4xx; only our failures are errors.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  log.error(`${request.method} ${new URL(request.url).pathname} failed`, {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}

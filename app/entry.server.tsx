import crypto from "node:crypto";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { contentSecurityPolicyFor } from "#app/services/csp.server.ts";
import { databaseUnavailable, noteRequestError } from "#app/models/platform/db-availability.server.ts";
import { htmlBody } from "#app/services/html-stream.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";
import { DocumentHtmlProvider } from "./components/document-html.tsx";
import { documentHtmlOfRequest } from "#app/services/document-html.server.ts";
import { NonceProvider } from "./utils/nonce-provider.tsx";
import { ssoFormActions } from "#app/services/sso-origins.server.ts";
import { stripeFormActions } from "#app/services/stripe-origins.server.ts";

const ABORT_DELAY = 5_000;
const log = createLogger("render");

/**
 * The policy with a slot for the nonce, built once per set of form-action
 * origins (the environment is fixed at boot; the identity providers'
 * origins change only when an organisation's single sign-on does).
 */
let policy: { key: string; of: (nonce: string) => string } | undefined;

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
  const formActions = [...stripeFormActions(), ...ssoFormActions()];
  const key = formActions.join(" ");
  if (policy?.key !== key) policy = { key, of: contentSecurityPolicyFor({ production: env.production, formActions }) };
  responseHeaders.set("Content-Security-Policy", policy.of(nonce));
  // Bots and no-JS crawlers get the whole document at once; browsers stream.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const abortLater = setTimeout(() => abort(), ABORT_DELAY);
    const send = () => {
      shellRendered = true;
      // Single fetch's closing script is written after the shell: htmlBody keeps it inside <body>.
      const { destination, stream } = htmlBody();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
      // The part of a Node writable React uses (write, flush, end, destroy, events); see htmlBody.
      pipe(destination as unknown as NodeJS.WritableStream);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <DocumentHtmlProvider value={documentHtmlOfRequest()}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </DocumentHtmlProvider>
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (!waitForAll) send();
        },
        onAllReady() {
          // Rendered in full: nothing left to abort. (The timer, left to fire, ended the finished
          // stream again five seconds later: a Node error object built and dropped per page.)
          clearTimeout(abortLater);
          if (waitForAll) send();
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

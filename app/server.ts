/**
 * The production server: the entry of the server build (remix.config.js
 * `server`), run by `npm start` as `node build/index.js`.
 *
 * Why our own Express server rather than remix-serve: it knows the client's
 * address (rate limits), opens the database and runs migrations and the
 * content import before it accepts a request, schedules jobs, and closes the
 * embedded database on SIGTERM/SIGINT (an open PGlite keeps the process alive).
 */
import type { Server } from "node:http";
import path from "node:path";
import * as build from "@remix-run/dev/server-build";
import { createRequestHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { boot, type Booted } from "./boot.server.ts";
import { MAX_UPLOAD_BYTES } from "#app/models/organisations/staff-import.server.ts";
import {
  bodyLimitFor,
  checkAddress,
  checkBody,
  checkContentType,
  checkOrigin,
  declaredLength,
  hasBody,
  readLimitedBody,
  sendRefusal,
  tooLarge,
} from "#app/services/request-guard.server.ts";
import { DATABASE_UNAVAILABLE_PAGE, databaseUnavailable } from "#app/models/platform/db-availability.server.ts";
import { precompressedAssets } from "#app/services/precompressed.server.ts";
import { mayWriteOwnProgress, OWN_WRITE_COOKIE, OWN_WRITE_SECONDS, runWithRequestContext } from "#app/services/request-context.server.ts";
import { remixRequest, sendRemixResponse } from "#app/services/remix-request.server.ts";
import { installRouteMatchCache } from "#app/services/route-matching.server.ts";
import { EnvError } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";
import { projectRoot } from "#db/client.ts";

const log = createLogger("server");

async function main() {
  installRouteMatchCache();
  const booted = await bootOrExit();
  const server = listen(createApp(booted), booted);
  stopOnSignals(server, booted);
}

/** The database open, migrated and imported; or a message saying why not, and exit 1. */
async function bootOrExit(): Promise<Booted> {
  try {
    return await boot({ owner: "the Distinct server" });
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Distinct cannot start.\n${error.message}\nSee the configuration table in README.md.`);
    } else {
      console.error("Distinct cannot start:", error instanceof Error ? (error.stack ?? error.message) : error);
    }
    process.exit(1);
  }
}

type Env = Booted["env"];

/** The middleware, in the order a request meets it: compression, headers, files, the front door, then Remix. */
function createApp({ env, handle }: Booted): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  // Pages: gzip level 1. On 21 KB of text, level 6 (the default) took 1.8
  // times level 1's CPU for 6% fewer bytes (ADR 027). Build assets are sent
  // precompressed below, never compressed per request.
  app.use(compression({ level: 1, filter: (req, res) => !req.path.startsWith("/build/") && compression.filter(req, res) }));
  app.use(securityHeaders(env));
  servePublicFiles(app);
  app.use(frontDoor(new URL(env.APP_URL).origin));
  app.use(certificatePdfAddress);
  app.use(answerWhileDatabaseAway);
  app.all("*", remixHandler(new URL(env.APP_URL), handle.kind === "postgres" && handle.writes !== undefined));
  return app;
}

function securityHeaders(env: Env): express.RequestHandler {
  return (req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    if (env.production) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    next();
  };
}

function servePublicFiles(app: express.Express): void {
  const publicDir = path.join(projectRoot(), "public");
  // Fingerprinted build output: cache for a year, brotli or gzip compressed once at start.
  app.use("/build", precompressedAssets(path.join(publicDir, "build")));
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y" }));
  // Other public files have an extension; page addresses do not, so they skip
  // the filesystem lookup static serving would cost on every page view.
  const publicFiles = express.static(publicDir, { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
}

/**
 * The front door (app/services/request-guard.server.ts): cross-site and
 * Origin: null posts, NUL in the address, and page posts that are not
 * forms are refused here, before any body is read.
 */
function frontDoor(appOrigin: string): express.RequestHandler {
  return (req, res, next) => {
    const refusal =
      checkAddress(req.originalUrl) ??
      checkOrigin(req.method, req.get("origin"), appOrigin, req.path) ??
      checkContentType(req.method, req.path, req.get("content-type"));
    if (refusal) return sendRefusal(req, res, refusal, bodyMayFollow(req));
    next();
  };
}

/**
 * /certificates/:code.pdf is the PDF's public address (printed on pages and
 * in mails); a route parameter cannot end in ".pdf", so serve it from the
 * resource route /certificates/:code/pdf.
 */
const certificatePdfAddress: express.RequestHandler = (req, _res, next) => {
  const pdf = /^\/certificates\/([A-Za-z0-9-]{1,40})\.pdf$/.exec(req.path);
  if (pdf) {
    // Remix builds its request from originalUrl, so both change.
    req.url = `/certificates/${pdf[1]}/pdf${req.url.slice(req.path.length)}`;
    req.originalUrl = req.url;
  }
  next();
};

/**
 * While PostgreSQL is away (see db-availability.server.ts), answer at once
 * with a 503 instead of queueing requests for connections; /healthz still
 * asks the database itself, so a load balancer sees the truth.
 */
const answerWhileDatabaseAway: express.RequestHandler = (req, res, next) => {
  if (req.path === "/healthz" || !databaseUnavailable()) return next();
  res.status(503).set({ "Retry-After": "10", "Cache-Control": "no-store" }).type("html").send(DATABASE_UNAVAILABLE_PAGE);
};

/**
 * Every request that got this far: its body read within its limit and checked, then handed to Remix.
 * `ownWrites`: this instance keeps learners' progress on PostgreSQL, which other instances write (ADR 047): a
 * request that may write its learner's progress marks the browser for a few seconds, and its requests then read
 * progress afresh, here or on any instance.
 */
function remixHandler(appUrl: URL, ownWrites: boolean): express.RequestHandler {
  const handleRequest = createRequestHandler(build, build.mode);
  return async (req, res, next) => {
    const clientAddress = req.ip ?? req.socket.remoteAddress ?? "unknown";
    // better-auth records the session's address from this header; never trust a client's copy.
    req.headers["x-distinct-client-address"] = clientAddress;
    try {
      let body: Buffer | null = null;
      if (hasBody(req.method)) {
        // Read here, limited, rather than streamed into Remix: every action
        // reads its whole body anyway (formData, text), and this is the one
        // place a limit cannot be forgotten.
        const read = await readLimitedBody(req, bodyLimitFor(req.path, MAX_UPLOAD_BYTES));
        if (!read.ok) {
          if (read.refusal) sendRefusal(req, res, read.refusal, true);
          return;
        }
        const refusal = checkBody(req.path, req.get("content-type"), read.body);
        if (refusal) return sendRefusal(req, res, refusal, false);
        body = read.body;
      }
      const request = remixRequest(req, res, body, appUrl);
      // The whole answer, streaming included, runs inside the request's context.
      // `.data`: single fetch's loader data for a client-side navigation; anything else may render a page.
      const document = !req.path.endsWith(".data");
      const readsOwnWrites = ownWrites && (req.headers.cookie?.includes(`${OWN_WRITE_COOKIE}=`) ?? false);
      if (ownWrites && mayWriteOwnProgress(req.method, req.path)) {
        // Before the action runs: the answer (a redirect, a page) goes out with it, whatever it is.
        res.append("Set-Cookie", `${OWN_WRITE_COOKIE}=1; Max-Age=${OWN_WRITE_SECONDS}; Path=/; HttpOnly; SameSite=Lax`);
      }
      await runWithRequestContext(
        { clientAddress, document, readsOwnWrites, appendSetCookie: (cookie) => res.append("Set-Cookie", cookie) },
        async () => sendRemixResponse(res, await handleRequest(request)),
      );
    } catch (error) {
      next(error);
    }
  };
}

/** Start listening, with keep-alive longer than a load balancer's, 413 before a large body, and exit 1 if the port fails. */
function listen(app: express.Express, booted: Booted): Server {
  const { env } = booted;
  const server = app.listen(env.PORT, env.HOST ?? "0.0.0.0", () => {
    log.info(`Distinct is ready at ${env.APP_URL}`, { port: env.PORT, database: booted.handle.description });
  });

  // Idle keep-alive connections outlive a load balancer's (60 s is the common
  // default): if the server closed first, a request sent on the closing socket
  // would fail with a reset. Headers must be allowed longer than that.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // A client that asks before sending a large body (Expect: 100-continue,
  // as curl does) is told 413 before it sends a byte of it.
  server.on("checkContinue", (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const limit = bodyLimitFor(path, MAX_UPLOAD_BYTES);
    const declared = declaredLength(req.headers["content-length"]);
    if (declared !== null && declared > limit.bytes) return sendRefusal(req, res, tooLarge(limit, declared), true);
    res.writeContinue();
    server.emit("request", req, res);
  });

  server.on("error", (error: NodeJS.ErrnoException) => {
    log.error(
      error.code === "EADDRINUSE"
        ? `Port ${env.PORT} is already in use: stop the other server or set PORT`
        : `The server could not listen: ${error.message}`,
    );
    void booted.shutdown().finally(() => process.exit(1));
  });
  return server;
}

/** SIGTERM or SIGINT: stop accepting, close connections, shut the database and jobs down, exit 0. Once. */
function stopOnSignals(server: Server, booted: Booted): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections?.();
    booted
      .shutdown()
      .catch((error: unknown) => log.error("error while shutting down", { error }))
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** Whether a body may still be arriving on this request (so a refusal closes the connection). */
function bodyMayFollow(req: express.Request): boolean {
  return hasBody(req.method) && (req.headers["transfer-encoding"] !== undefined || (declaredLength(req.headers["content-length"]) ?? 0) > 0);
}

void main();

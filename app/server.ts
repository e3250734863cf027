/**
 * The production server: the entry of the server build (remix.config.js
 * `server`), run by `npm start` as `node build/index.js`.
 *
 * Why our own Express server rather than remix-serve: it knows the client's
 * address (rate limits), opens the database and runs migrations and the
 * content import before it accepts a request, schedules jobs, and closes the
 * embedded database on SIGTERM/SIGINT (an open PGlite keeps the process alive).
 */
import path from "node:path";
import * as build from "@remix-run/dev/server-build";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { boot, type Booted } from "./boot.server.ts";
import { DATABASE_UNAVAILABLE_PAGE, databaseUnavailable } from "./utils/db-availability.server.ts";
import { runWithRequestContext } from "./utils/request-context.server.ts";
import { EnvError } from "./utils/env.server.ts";
import { createLogger } from "./utils/logger.server.ts";
import { projectRoot } from "#db/client.ts";

const log = createLogger("server");

async function main() {
  let booted: Booted;
  try {
    booted = await boot({ owner: "the Distinct server" });
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Distinct cannot start.\n${error.message}\nSee the configuration table in README.md.`);
    } else {
      console.error("Distinct cannot start:", error instanceof Error ? (error.stack ?? error.message) : error);
    }
    process.exit(1);
  }
  const { env } = booted;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  app.use(compression());

  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    if (env.production) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    next();
  });

  const publicDir = path.join(projectRoot(), "public");
  // Fingerprinted build output: cache for a year.
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y" }));
  // Other public files have an extension; page addresses do not, so they skip
  // the filesystem lookup static serving would cost on every page view.
  const publicFiles = express.static(publicDir, { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  // Cross-site form posts are refused outright (belt and braces beside
  // SameSite=Lax cookies). Requests without an Origin (curl, Stripe) pass.
  const appOrigin = new URL(env.APP_URL).origin;
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const origin = req.get("origin");
    if (origin && origin !== "null" && origin !== appOrigin) {
      res.status(403).type("text/plain").send(`Cross-site request refused: ${origin} is not ${appOrigin}.`);
      return;
    }
    next();
  });

  // /certificates/:code.pdf is the PDF's public address (printed on pages and
  // in mails); a route parameter cannot end in ".pdf", so serve it from the
  // resource route /certificates/:code/pdf.
  app.use((req, _res, next) => {
    const pdf = /^\/certificates\/([A-Za-z0-9-]{1,40})\.pdf$/.exec(req.path);
    if (pdf) {
      // Remix builds its request from originalUrl, so both change.
      req.url = `/certificates/${pdf[1]}/pdf${req.url.slice(req.path.length)}`;
      req.originalUrl = req.url;
    }
    next();
  });

  // While PostgreSQL is away (see db-availability.server.ts), answer at once
  // with a 503 instead of queueing requests for connections; /healthz still
  // asks the database itself, so a load balancer sees the truth.
  app.use((req, res, next) => {
    if (req.path === "/healthz" || !databaseUnavailable()) return next();
    res.status(503).set({ "Retry-After": "10", "Cache-Control": "no-store" }).type("html").send(DATABASE_UNAVAILABLE_PAGE);
  });

  const handler = createRequestHandler({ build, mode: build.mode });
  app.all("*", (req, res, next) => {
    const clientAddress = req.ip ?? req.socket.remoteAddress ?? "unknown";
    // better-auth records the session's address from this header; never trust a client's copy.
    req.headers["x-distinct-client-address"] = clientAddress;
    runWithRequestContext(
      { clientAddress, appendSetCookie: (cookie) => res.append("Set-Cookie", cookie) },
      () => handler(req, res, next),
    );
  });

  const server = app.listen(env.PORT, env.HOST ?? "0.0.0.0", () => {
    log.info(`Distinct is ready at ${env.APP_URL}`, { port: env.PORT, database: booted.handle.description });
  });

  server.on("error", (error: NodeJS.ErrnoException) => {
    log.error(
      error.code === "EADDRINUSE"
        ? `Port ${env.PORT} is already in use: stop the other server or set PORT`
        : `The server could not listen: ${error.message}`,
    );
    void booted.shutdown().finally(() => process.exit(1));
  });

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

void main();

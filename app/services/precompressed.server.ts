import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { NextFunction, Request, Response } from "express";
import { createLogger } from "#app/services/logger.server.ts";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const log = createLogger("assets");

/** Text assets worth compressing; fonts and images are compressed already. */
const TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};
const MIN_BYTES = 1024;

type Entry = { type: string; br: Buffer; gzip: Buffer };

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * The fingerprinted build output (public/build), compressed once at start:
 * brotli at its highest quality and gzip at 9, in the thread pool, so no
 * request waits for it and none compresses the same bytes again. Answers
 * with the best encoding the client accepts and a year's immutable caching;
 * anything not (yet) compressed, or a client that accepts neither, falls
 * through to express.static.
 */
export function precompressedAssets(dir: string) {
  const entries = new Map<string, Entry>();
  const ready = (async () => {
    for (const file of await filesUnder(dir)) {
      const type = TYPES[path.extname(file)];
      if (!type) continue;
      const bytes = await fs.readFile(file);
      if (bytes.length < MIN_BYTES) continue;
      const [br, gz] = await Promise.all([
        brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
        gzip(bytes, { level: 9 }),
      ]);
      entries.set(`/${path.relative(dir, file).split(path.sep).join("/")}`, { type, br, gzip: gz });
    }
  })().catch((error: unknown) => log.warn("build assets not precompressed; served as they are", { error: String(error) }));

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const entry = entries.get(req.path);
    if (!entry) return next();
    const accepts = req.acceptsEncodings("br", "gzip");
    if (accepts !== "br" && accepts !== "gzip") return next();
    const body = accepts === "br" ? entry.br : entry.gzip;
    res.set({
      "Content-Type": entry.type,
      "Content-Encoding": accepts,
      "Content-Length": String(body.length),
      "Cache-Control": "public, max-age=31536000, immutable",
      Vary: "Accept-Encoding",
    });
    res.status(200).end(req.method === "HEAD" ? undefined : body);
  };
  return Object.assign(middleware, { ready });
}

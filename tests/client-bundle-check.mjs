#!/usr/bin/env node
/**
 * Fails when a browser chunk in public/build uses a Node built-in. Such a
 * chunk does not fail the build: the route module throws when the browser
 * loads it (`ReferenceError: Buffer is not defined`), and Remix then reloads
 * the current page without a word, so the link looks dead. Run after
 * `remix build`; `npm test` and `npm run test:e2e` do.
 *
 * The patterns look for uses, not words: `ArrayBuffer`, a `process(...)`
 * method or a `.Buffer` property of something else do not count. Remix
 * inlines `process.env.NODE_ENV` at build time, so any `process.` left in a
 * chunk is a real lookup of a global the browser does not have.
 *
 * It also fails when CodeMirror (the studio's lesson editor, ~120 KB gzip)
 * is in a chunk a page loads up front: the entry, the root, any route's
 * module or its static imports (docs/decisions/039). It must stay in the
 * chunk that lesson-editor.tsx fetches with import() in the browser, so a
 * static import from a shared module, which would make every page pay for
 * it, is caught here rather than in a slow page.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const NODE_MODULES = "assert|buffer|child_process|cluster|crypto|dgram|dns|events|fs|fs/promises|http|http2|https|module|net|os|path|perf_hooks|querystring|readline|stream|string_decoder|timers|tls|tty|url|util|v8|vm|worker_threads|zlib";

/** Each rule: what it catches, and the pattern (no `g` flag; scanned with matchAll below). */
export const NODE_BUILTIN_RULES = [
  { name: "Buffer (a Node global)", pattern: /(?<![\w$.])Buffer(?![\w$])/ },
  { name: "process (a Node global)", pattern: /(?<![\w$.'"])process\s*\.\s*[A-Za-z_$]/ },
  { name: "global (Node's name for globalThis)", pattern: /(?<![\w$.'"])global\s*\.\s*[A-Za-z_$]/ },
  { name: "__dirname or __filename", pattern: /(?<![\w$.])__(?:dirname|filename)(?![\w$])/ },
  { name: "a node: import", pattern: /(?:from|import|require)\s*\(?\s*["']node:/ },
  { name: "require of a Node module", pattern: new RegExp(`require\\s*\\(\\s*["'](?:${NODE_MODULES})["']`) },
  { name: "import of a Node module", pattern: new RegExp(`(?:from|import\\s*\\()\\s*["'](?:${NODE_MODULES})["']`) },
];

/** Every Node built-in used in one chunk's text, with a little context each. */
export function findNodeBuiltins(text) {
  const found = [];
  for (const rule of NODE_BUILTIN_RULES) {
    for (const m of text.matchAll(new RegExp(rule.pattern.source, "g"))) {
      const at = m.index ?? 0;
      found.push({ rule: rule.name, excerpt: text.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, " ") });
    }
  }
  return found;
}

/** Every .js file under `dir` with what it uses; [] when none does. */
export function checkClientBuild(dir) {
  const problems = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    for (const f of findNodeBuiltins(fs.readFileSync(file, "utf8"))) problems.push({ file: path.relative(dir, file), ...f });
  }
  return problems;
}

/** Text only CodeMirror's own code has: its content and scroller class names (none of our markup or CSS in a chunk uses them). */
export const CODEMIRROR_PATTERN = /["'.]cm-(?:content|scroller|gutters)\b/;

/** The manifest Remix wrote (`window.__remixManifest={...};`), parsed. */
export function readManifest(dir) {
  const file = fs.readdirSync(dir).find((name) => /^manifest-[A-Z0-9]+\.js$/.test(name));
  if (!file) throw new Error(`no manifest-*.js in ${dir}`);
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  return JSON.parse(text.slice(text.indexOf("=") + 1).replace(/;\s*$/, ""));
}

/**
 * Each chunk a page loads before any code runs (entry, root, every route's module and static imports),
 * with who loads it; a route id under routes/studio is a studio page.
 */
export function upFrontChunks(manifest) {
  const loaders = new Map();
  const add = (url, by) => loaders.set(url, [...(loaders.get(url) ?? []), by]);
  for (const url of [manifest.entry.module, ...(manifest.entry.imports ?? [])]) add(url, "entry");
  for (const route of Object.values(manifest.routes)) for (const url of [route.module, ...(route.imports ?? [])]) add(url, route.id);
  return loaders;
}

/**
 * Chunks holding CodeMirror that a page loads up front: an error naming who loads each. Outside the
 * studio that is every page paying for an editor it never shows; in a studio route it is not lazy.
 */
export function checkCodeMirrorLazy(dir) {
  const problems = [];
  const buildRoot = path.dirname(dir);
  for (const [url, by] of upFrontChunks(readManifest(dir))) {
    const text = fs.readFileSync(path.join(buildRoot, ...url.split("/").filter(Boolean)), "utf8");
    if (!CODEMIRROR_PATTERN.test(text)) continue;
    const outside = by.filter((id) => !id.startsWith("routes/studio"));
    problems.push({
      file: url,
      message: outside.length
        ? `CodeMirror is in a chunk loaded up front outside the studio (by ${outside.slice(0, 4).join(", ")}${outside.length > 4 ? ` and ${outside.length - 4} more` : ""})`
        : `CodeMirror is in a chunk a studio route loads statically (by ${by.join(", ")}); import it with import() in the editor component`,
    });
  }
  return problems;
}

/** The chunks with CodeMirror in them and their gzip sizes (the lazy editor chunk, when all is well). */
export function codeMirrorChunks(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const text = fs.readFileSync(file);
    if (CODEMIRROR_PATTERN.test(text.toString("utf8"))) found.push({ file: path.relative(dir, file), bytes: text.length, gzip: zlib.gzipSync(text, { level: 9 }).length });
  }
  return found;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const dir = path.join(root, "public", "build");
  if (!fs.existsSync(dir)) {
    console.error("public/build does not exist: run `npx remix build` first.");
    process.exit(1);
  }
  const problems = checkClientBuild(dir);
  for (const p of problems) console.error(`public/build/${p.file}: ${p.rule}: …${p.excerpt}…`);
  if (problems.length) {
    console.error(`\n${problems.length} use(s) of Node built-ins in browser code. Move the Node-only code to a .server.ts module (or split what the page needs out of it).`);
    process.exit(1);
  }
  console.log("Client bundle: no Node built-ins in public/build.");
  const lazy = checkCodeMirrorLazy(dir);
  for (const p of lazy) console.error(`${p.file}: ${p.message}`);
  if (lazy.length) process.exit(1);
  const editor = codeMirrorChunks(dir).map((c) => `${c.file} (${(c.bytes / 1024).toFixed(0)} KB, ${(c.gzip / 1024).toFixed(1)} KB gzip)`);
  console.log(`Client bundle: CodeMirror only in chunks loaded by import(): ${editor.join(", ") || "none"}.`);
}

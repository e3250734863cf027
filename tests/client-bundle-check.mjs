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
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
}

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { NU_DIR } from "./nu.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const VNU = path.join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

/**
 * Playwright's global setup: empties the folder the journeys record pages
 * into (tests/e2e/nu.ts), and returns the teardown that checks them all with
 * the W3C Nu HTML checker in one run. Any error fails the run, listed as
 * `page (file:line:column): message`.
 */
export default function nuGlobalSetup() {
  fs.rmSync(NU_DIR, { recursive: true, force: true });
  fs.mkdirSync(NU_DIR, { recursive: true });
  return nuCheck;
}

function nuCheck() {
  const files = fs.readdirSync(NU_DIR).filter((f) => f.endsWith(".html"));
  if (files.length === 0) return;
  const run = spawnSync("java", ["-jar", VNU, "--errors-only", "--format", "json", NU_DIR], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`The Nu HTML checker could not start (is Java installed? apt-get install default-jre-headless): ${run.error.message}`);
  // vnu writes its JSON report to stderr.
  const report = parseReport(run.stderr);
  const errors = report.filter((m) => m.type === "error" || m.subType === "fatal");
  console.log(`Nu HTML checker: ${files.length} documents checked, ${errors.length} errors.`);
  if (errors.length === 0) return;
  const lines = errors.map((m) => {
    const file = decodeURIComponent((m.url ?? "").replace(/^file:/, ""));
    const source = fs.existsSync(file) ? /<!-- (\S+) -->/.exec(fs.readFileSync(file, "utf8").slice(0, 500))?.[1] : undefined;
    return `${source ?? file} (${path.basename(file)}:${m.lastLine ?? "?"}:${m.firstColumn ?? "?"}): ${m.message}${m.extract ? `\n    ${m.extract.replace(/\s+/g, " ").trim()}` : ""}`;
  });
  throw new Error(`The W3C Nu HTML checker found ${errors.length} errors (pages kept in ${path.relative(root, NU_DIR)}):\n${lines.join("\n")}`);
}

type NuMessage = { type?: string; subType?: string; url?: string; lastLine?: number; firstColumn?: number; message?: string; extract?: string };

function parseReport(text: string): NuMessage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The Nu HTML checker's report is not JSON:\n${text.slice(0, 2000)}`);
  }
  if (typeof parsed !== "object" || parsed === null || !("messages" in parsed) || !Array.isArray(parsed.messages)) {
    throw new Error(`The Nu HTML checker's report has no messages:\n${text.slice(0, 2000)}`);
  }
  return parsed.messages.filter((m: unknown): m is NuMessage => typeof m === "object" && m !== null);
}

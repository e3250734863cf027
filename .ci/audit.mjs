#!/usr/bin/env node
/**
 * CI's dependency audit: `npm audit --omit=dev --audit-level=high`, read as
 * JSON so that two different failures are told apart.
 *
 * - A finding (a high or critical advisory in a production dependency)
 *   fails CI: exit 1, listing the packages.
 * - An audit service that cannot be asked (offline, a proxy, or a registry
 *   mirror without the audit API: on our build machine the registry answers
 *   the bulk-advisory POST with "405 Method Not Allowed", which npm reports
 *   as "audit endpoint returned an error") is NOT a finding. npm exits 1 for
 *   both, so a plain `npm audit` step would either fail every build there or,
 *   if made to ignore errors, hide real findings. Here it prints a loud
 *   warning naming the reason and does not fail, unless AUDIT_REQUIRED=1
 *   (set it where the audit service must be reachable).
 */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

const FAILING = ["high", "critical"];

/**
 * Reads `npm audit --json` output: "findings" with the packages at high or
 * critical, "clean", or "unavailable" with the reason the service gave.
 */
export function classifyAudit(stdout) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return { kind: "unavailable", reason: `npm audit printed no report (${String(stdout).trim().slice(0, 200) || "nothing"})` };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (!counts || typeof counts !== "object") {
    const reason = report?.message ?? report?.error?.summary ?? report?.error?.code ?? report?.error?.message ?? "no vulnerability counts in the report";
    return { kind: "unavailable", reason: String(reason) };
  }
  const packages = Object.values(report.vulnerabilities ?? {})
    .filter((v) => FAILING.includes(v?.severity))
    .map((v) => {
      const titles = (v.via ?? []).filter((via) => typeof via === "object" && via?.title).map((via) => `${via.title}${via.url ? ` (${via.url})` : ""}`);
      return `${v.name} (${v.severity})${titles.length ? `: ${titles.join("; ")}` : ""}${v.fixAvailable ? " [fix available]" : ""}`;
    });
  const failing = FAILING.reduce((sum, level) => sum + (Number(counts[level]) || 0), 0);
  return failing > 0 ? { kind: "findings", count: failing, packages } : { kind: "clean", counts };
}

function main() {
  const run = spawnSync("npm", ["audit", "--omit=dev", "--audit-level=high", "--json"], { encoding: "utf8" });
  const result = run.error ? { kind: "unavailable", reason: run.error.message } : classifyAudit(run.stdout);
  if (result.kind === "findings") {
    console.error(`npm audit: ${result.count} high or critical advisories in production dependencies:`);
    for (const line of result.packages) console.error(`  - ${line}`);
    console.error("Update the packages (npm audit fix, or a newer version), or record why one does not apply.");
    process.exit(1);
  }
  if (result.kind === "unavailable") {
    const banner = "!".repeat(78);
    console.warn(`${banner}\nWARNING: the npm audit service could not be asked, so dependencies were NOT audited.\nReason: ${result.reason}\nThis is not a finding, so CI goes on; set AUDIT_REQUIRED=1 to fail instead.\n${banner}`);
    process.exit(process.env.AUDIT_REQUIRED === "1" ? 1 : 0);
  }
  console.log(`npm audit: no high or critical advisories in production dependencies (${JSON.stringify(result.counts)}).`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();

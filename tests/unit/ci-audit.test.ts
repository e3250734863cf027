import { expect, test } from "vitest";
import { classifyAudit } from "../../.ci/audit.mjs";

// What npm printed on the build machine, whose registry has no audit API.
const METHOD_NOT_ALLOWED = JSON.stringify({
  message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  method: "POST",
  uri: "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  statusCode: 405,
  body: "",
  error: { summary: "", detail: "" },
});

const report = (vulnerabilities: Record<string, unknown>, counts: Record<string, number>) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } },
  });

test("an audit service that answers 405 is 'unavailable' with its reason, not a finding", () => {
  expect(classifyAudit(METHOD_NOT_ALLOWED)).toEqual({
    kind: "unavailable",
    reason: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  });
  expect(classifyAudit(JSON.stringify({ error: { code: "ENOTFOUND", summary: "request to https://registry.npmjs.org failed" } }))).toEqual({
    kind: "unavailable",
    reason: "request to https://registry.npmjs.org failed",
  });
  expect(classifyAudit("")).toEqual({ kind: "unavailable", reason: "npm audit printed no report (nothing)" });
});

test("a high or critical advisory is a finding that names the package", () => {
  const high = report(
    {
      "path-to-regexp": {
        name: "path-to-regexp",
        severity: "high",
        via: [{ title: "path-to-regexp outputs backtracking regular expressions", url: "https://github.com/advisories/GHSA-9wv6-86v2-598j" }],
        fixAvailable: true,
      },
      cookie: { name: "cookie", severity: "low", via: [{ title: "cookie accepts cookie name out of bounds" }], fixAvailable: true },
    },
    { high: 1, low: 1, total: 2 },
  );
  expect(classifyAudit(high)).toEqual({
    kind: "findings",
    count: 1,
    packages: [
      "path-to-regexp (high): path-to-regexp outputs backtracking regular expressions (https://github.com/advisories/GHSA-9wv6-86v2-598j) [fix available]",
    ],
  });
  expect(classifyAudit(report({ x: { name: "x", severity: "critical", via: ["y"] } }, { critical: 1, total: 1 }))).toMatchObject({ kind: "findings", count: 1 });
});

test("only low and moderate advisories are clean at --audit-level=high", () => {
  expect(classifyAudit(report({}, { moderate: 2, low: 1, total: 3 }))).toMatchObject({ kind: "clean" });
  expect(classifyAudit(report({}, {}))).toMatchObject({ kind: "clean" });
});

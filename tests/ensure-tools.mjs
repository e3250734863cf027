#!/usr/bin/env node
/**
 * The programs the tests drive besides Node: Debian's chromium for the
 * end-to-end tests (Playwright cannot download its own browsers here), and
 * poppler (pdftotext, pdftoppm, pdffonts) and zbar (zbarimg) to read the
 * certificates back as a person and a phone would; and Java for the W3C Nu
 * HTML checker run over every page at the end of the e2e tests. If any is missing: as root
 * with apt-get, install it; otherwise say exactly what to run.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";

const onPath = (name) => {
  try {
    execSync(`command -v ${name}`, { stdio: "ignore", shell: "/bin/sh" });
    return true;
  } catch {
    return false;
  }
};

const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
const needs = [
  { package: "chromium", ok: () => chromium.some((p) => fs.existsSync(p)) },
  { package: "poppler-utils", ok: () => ["pdftotext", "pdftoppm", "pdffonts"].every(onPath) },
  { package: "zbar-tools", ok: () => onPath("zbarimg") },
  // The W3C Nu HTML checker (vnu-jar) that checks every page the e2e journeys visit.
  { package: "default-jre-headless", ok: () => onPath("java") },
  // xmllint validates SCORM packages' imsmanifest.xml against the SCORM 1.2 schemas (tests/fixtures/scorm12-xsd).
  { package: "libxml2-utils", ok: () => onPath("xmllint") },
];
const missing = needs.filter((n) => !n.ok()).map((n) => n.package);
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const canInstall = isRoot && fs.existsSync("/usr/bin/apt-get");
const aptInstall = (packages) => execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(" ")}`, { stdio: "inherit" });

if (missing.length > 0 && canInstall) {
  console.log(`Installing what the tests need with apt-get (one time): ${missing.join(", ")}`);
  try {
    aptInstall(missing);
  } catch {
    console.error(`apt-get could not install them. Install them yourself: apt-get install ${missing.join(" ")}`);
    process.exit(1);
  }
} else if (missing.length > 0) {
  console.error(
    [
      `The tests need ${missing.join(", ")}, which ${missing.length === 1 ? "is" : "are"} not installed.`,
      "Install, then run npm test again:",
      `  sudo apt-get update && sudo apt-get install ${missing.join(" ")}`,
      ...(missing.includes("chromium") ? ["or point CHROMIUM_PATH at a Chromium or Chrome binary."] : []),
    ].join("\n"),
  );
  process.exit(1);
}

// The e2e tests run in Chromium's headless shell where it is installed (the same Blink and V8, about a quarter less
// CPU than the full browser: ADR 050), otherwise in the full browser. Installed where this can install; without
// it the tests still run.
if (!process.env.CHROMIUM_PATH && !fs.existsSync("/usr/bin/chromium-headless-shell")) {
  if (canInstall) {
    console.log("Installing Chromium's headless shell with apt-get (one time): chromium-headless-shell");
    try {
      aptInstall(["chromium-headless-shell"]);
    } catch {
      console.log("apt-get could not install chromium-headless-shell: the e2e tests run in the full browser, more slowly.");
    }
  } else {
    console.log("The e2e tests run faster in Chromium's headless shell: sudo apt-get install chromium-headless-shell");
  }
}

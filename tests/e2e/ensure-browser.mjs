#!/usr/bin/env node
/**
 * Finds a Chromium for Playwright. Playwright cannot download its own browsers
 * here, so the e2e suite drives Debian's chromium. If none is found: as root,
 * install it with apt-get; otherwise say exactly what to run.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
const found = candidates.find((p) => fs.existsSync(p));
if (found) {
  process.exit(0);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (isRoot && fs.existsSync("/usr/bin/apt-get")) {
  console.log("No Chromium found: installing Debian's chromium with apt-get (one time)...");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
    process.exit(0);
  } catch {
    console.error("apt-get could not install chromium. Install it yourself: apt-get install chromium");
    process.exit(1);
  }
}
console.error(
  [
    "The end-to-end tests need Chromium, and none was found at " + candidates.join(" or ") + ".",
    "Install it, then run npm test again:",
    "  sudo apt-get update && sudo apt-get install chromium",
    "or point CHROMIUM_PATH at a Chromium or Chrome binary.",
  ].join("\n"),
);
process.exit(1);

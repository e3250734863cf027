/**
 * `npm run jobs` as cron runs it: a separate process on the embedded
 * database in a temporary DATA_DIR, with `--at` to run as of a chosen date.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { emailOutbox } from "#db/schema/index.ts";
import { openDatabase, projectRoot } from "#db/client.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { setDatabase } from "#app/models/platform/db.server.ts";
import { importFixtures } from "#tests/factories.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-jobs-cli-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function runJobs(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "jobs", "--", ...args], {
      cwd: projectRoot(),
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "error", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// The embedded database the command will open, started from the migrated snapshot and given an assignment due 15 July 2030.
async function seed() {
  const snapshot = inject("pgliteSnapshot") || null;
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite"), loadDataDir: snapshot ? new Blob([fs.readFileSync(snapshot)]) : undefined });
  setDatabase(handle);
  try {
    if (!snapshot) {
      const { migrateDatabase } = await import("#db/client.ts");
      await migrateDatabase(handle);
    }
    await importFixtures(handle);
    const { org, lead } = await createOrganisation({ name: "Cron Police", seats: 5 });
    const { learner, personId } = await addLearner(org.id, lead);
    await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: "2030-07-15", dueDays: null });
    return learner.email;
  } finally {
    setDatabase(undefined);
    await handle.close();
  }
}

async function reminderSubjects(email: string) {
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  try {
    const rows = await handle.db
      .select({ kind: emailOutbox.kind, subject: emailOutbox.subject, status: emailOutbox.status })
      .from(emailOutbox)
      .where(eq(emailOutbox.recipient, email))
      .orderBy(asc(emailOutbox.createdAt));
    return rows.filter((r) => r.kind.startsWith("assignment-"));
  } finally {
    await handle.close();
  }
}

test("npm run jobs refuses --at in production, and a bad date, before opening any database", async () => {
  const production = await runJobs(["--at", "2030-07-08"], { NODE_ENV: "production" });
  expect(production.code).toBe(2);
  expect(production.stderr).toContain("--at is refused in production");
  const bad = await runJobs(["--at", "someday"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--at: "someday" is not a date');
  expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(false);
});

// Each run is a fresh process (npm, tsx, the app, the database): 5 s of CPU, 20 s on a machine loaded 8 times over.
// The two runs are two tests, in order, on the one database seeded before them: each has a time limit of its own.
describe("npm run jobs -- --at on a database with an assignment due 15 July 2030", () => {
  let email = "";
  // In this block, so after the test above has seen no database made.
  beforeAll(async () => {
    email = await seed();
  }, 120_000);

  test("8 days before, it runs every job as of that date and sends no reminder", { timeout: 120_000 }, async () => {
    const eightDays = await runJobs(["--at", "2030-07-07"]);
    expect(eightDays.stderr).toBe("");
    expect(eightDays.code).toBe(0);
    expect(eightDays.stdout).toContain("Running the jobs as of 2030-07-06T23:00:00.000Z");
    expect(eightDays.stdout).toMatch(/^ok {5}assignment-due-reminders \{"sent":0\}$/m);
    expect(await reminderSubjects(email)).toEqual([]);
  });

  test("7 days before, it sends the due-soon reminder", { timeout: 120_000 }, async () => {
    const sevenDays = await runJobs(["--at", "2030-07-08"]);
    expect(sevenDays.code).toBe(0);
    expect(sevenDays.stdout).toMatch(/^ok {5}assignment-due-reminders \{"sent":1\}$/m);
    expect(await reminderSubjects(email)).toEqual([{ kind: "assignment-due-soon", subject: "Due on 15 July 2030: Sample basics", status: "logged" }]);
  });
});

/**
 * Staff import at scale: validate and apply a 15,000-row CSV, on the embedded
 * database and on PostgreSQL, and how long a learner's lesson (its model
 * call, as the page makes it) takes while the import applies in batches.
 * Prints figures; asserts nothing.
 * Run: npx tsx tests/load/import-bench.ts [pglite|postgres]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { printSection, type BenchLine } from "./common.ts";
import { postgresForBench } from "./postgres.ts";

const ROWS = 15_000;

function csv(rows: number): Uint8Array {
  const lines = ["email,name,staff number,team,role,access"];
  const teams = ["Response Team A", "Response Team B", "Public Protection Unit", "Control Room", "Victim and Witness Hub", "Neighbourhood Policing"];
  for (let i = 0; i < rows; i++) {
    const name = i % 7 === 0 ? `"O'Brien, Siobhán ${i}"` : `Officer ${i} Łukasz`;
    lines.push(`officer.${i}@force.example.org,${name},SN${String(i).padStart(6, "0")},${teams[i % teams.length]},PC,${i % 500 === 0 ? "training lead" : "learner"}`);
  }
  return new TextEncoder().encode(`\uFEFF${lines.join("\r\n")}\r\n`);
}

async function run(kind: "pglite" | "postgres", url: string | null): Promise<BenchLine[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-import-bench-"));
  let drop: (() => Promise<void>) | null = null;
  if (kind === "postgres" && url) {
    const name = `distinct_import_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    process.env.DATABASE_URL = dbUrl.toString();
    drop = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    process.env.DATABASE_URL = "";
  }
  Object.assign(process.env, { DATA_DIR: dataDir, NODE_ENV: "production", APP_URL: "http://localhost:3999", BETTER_AUTH_SECRET: "b".repeat(64), LOG_LEVEL: "error" });
  const { openConfiguredDatabase } = await import("#app/services/database.server.ts");
  const { migrateDatabase } = await import("#db/client.ts");
  const { licences } = await import("#db/schema/index.ts");
  const { checkUpload, getImportPreview, requestApply, runImportJobs } = await import("#app/models/organisations/staff-import.server.ts");
  const { importContent } = await import("#app/content/import.server.ts");
  const { startModule } = await import("#app/models/learning/enrolment.server.ts");
  const { getCurrentVersion } = await import("#app/models/learning/module.server.ts");
  const { lessonView } = await import("#app/models/learning/learner-view.server.ts");
  const { projectRoot } = await import("#db/client.ts");
  const { staffImports } = await import("#db/schema/index.ts");
  const { eq } = await import("drizzle-orm");
  const { createOrganisationWithLead } = await import("#app/models/organisations/organisation.server.ts");
  const { handle, lock } = await openConfiguredDatabase("import bench");
  try {
    await migrateDatabase(handle);
    const { createUser } = await import("#tests/factories.ts");
    await importContent({ handle, contentDir: path.join(projectRoot(), "content", "modules"), publishedBy: "bench" });
    const slug = "recognising-stalking";
    const lessonKey = (await getCurrentVersion(slug))!.lessons[0]!.key;
    const learner = await createUser({ name: "Bench Learner" });
    await startModule({ userId: learner.id, slug });
    const lessonTimes = async (until: () => boolean) => {
      const times: number[] = [];
      while (!until()) {
        // Timed from when the request would arrive (20 ms after the last), so a
        // wait for the event loop (PGlite runs a batch on this thread) counts.
        const arrives = performance.now() + 20;
        await new Promise((resolve) => setTimeout(resolve, 20));
        await lessonView(slug, lessonKey, learner.id);
        times.push(performance.now() - arrives);
      }
      return times.sort((a, b) => a - b);
    };
    const quiet = await (async () => {
      const t0 = performance.now();
      return lessonTimes(() => performance.now() - t0 > 2000);
    })();
    const actor = await createUser({ role: "admin", name: "Bench Admin" });
    const org = await createOrganisationWithLead(actor, { name: "Bench Force", slug: `bench-${Date.now()}`, domains: [], leadName: "Lead", leadEmail: "lead@bench.example" });
    await handle.db.insert(licences).values({ organizationId: org.id, seats: 20_000, validFrom: new Date(Date.now() - 86_400_000), validUntil: new Date(Date.now() + 365 * 86_400_000), source: "manual" });
    const bytes = csv(ROWS);
    let t = performance.now();
    const importId = await checkUpload(actor, org.id, "staff.csv", bytes);
    const preview = await getImportPreview(org.id, importId);
    const validate = performance.now() - t;
    t = performance.now();
    await requestApply(actor, org.id, importId);
    let applying = true;
    const [jobs, during] = await Promise.all([runImportJobs().finally(() => (applying = false)), lessonTimes(() => !applying)]);
    const apply = performance.now() - t;
    const [done] = await handle.db.select({ summary: staffImports.summary }).from(staffImports).where(eq(staffImports.id, importId));
    const summary = done?.summary ?? {};
    const pct = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0) : "-");
    // The same file again: checked against 10,000 people already there, nothing to apply.
    t = performance.now();
    const again = await getImportPreview(org.id, await checkUpload(actor, org.id, "staff.csv", bytes));
    const revalidate = performance.now() - t;
    return [
      { name: "file", value: `${ROWS.toLocaleString("en-GB")} rows, ${(bytes.length / 1024).toFixed(0)} KB` },
      { name: "validate (parse, check every row, compare with roster)", value: `${validate.toFixed(0)} ms (${preview?.counts.invite} to invite, ${preview?.counts.rejected} rejected)` },
      { name: "apply as a job, in batches (people, invitations, mails)", value: `${apply.toFixed(0)} ms (${summary.invited} invited, ${summary.teamsCreated} teams, ${jobs.batches} batches)` },
      { name: "a learner's lesson, quiet", value: `p50 ${pct(quiet, 0.5)} ms, p99 ${pct(quiet, 0.99)} ms (${quiet.length} calls)` },
      { name: "a learner's lesson, while the import applies", value: `p50 ${pct(during, 0.5)} ms, p99 ${pct(during, 0.99)} ms, slowest ${pct(during, 1)} ms (${during.length} calls)` },
      { name: "validate the same file again (all unchanged)", value: `${revalidate.toFixed(0)} ms (${again?.counts.unchanged} unchanged)` },
    ];
  } finally {
    await handle.close();
    lock?.release();
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const which = process.argv[2];
if (!which || which === "pglite") printSection(`Staff import, ${ROWS.toLocaleString("en-GB")} rows, embedded database`, await run("pglite", null));
if (!which || which === "postgres") {
  const url = await postgresForBench();
  if (url) printSection(`Staff import, ${ROWS.toLocaleString("en-GB")} rows, PostgreSQL`, await run("postgres", url));
  else console.log("\nStaff import on PostgreSQL: no server found: not measured");
}

/**
 * Two instances of the production server (build/index.js) on one PostgreSQL
 * database, as behind a load balancer. A training lead signs in, uploads a
 * staff list of 4,000 people through the import pages and presses Apply on
 * instance A. While the import is being applied (its lease held, part of the
 * way through, read from its staff_imports row) the applying instance is
 * killed with SIGKILL. The other instance's scheduler takes the import over
 * once the lease runs out (IMPORT_LEASE_SECONDS, shortened here to 10 s) and
 * finishes it from its progress: every person once, one invitation and one
 * mail each, one audit entry (ADR 018).
 *
 * PostgreSQL only (tests/vitest.config.ts includes *.postgres.test.ts when
 * TEST_DATABASE_URL is set): the embedded database admits one process. Needs
 * the production build; .ci/run's `npm test` builds it before the PostgreSQL
 * pass, and alone: `npx remix build` first.
 */
import crypto from "node:crypto";
import { and, asc, count, countDistinct, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditEvents, emailOutbox, invitation, people, staffImports, team } from "#db/schema/index.ts";
import { createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";
import { databaseUrlOf, freePort, requireBuild, startProductionInstance, stopInstances, type ProductionInstance } from "./production-instances.ts";

const ROWS = 4000;
const LEASE_SECONDS = 10;

const handle = await openTestDatabase();

type Instance = ProductionInstance & { name: "A" | "B" };
const instances: Instance[] = [];
const secret = crypto.randomBytes(32).toString("hex");
let appUrl = "";
let databaseUrl = "";

async function startInstance(name: "A" | "B", port: number): Promise<Instance> {
  const instance = await startProductionInstance(`two-${name}`, port, {
    // One public address for both, as behind a load balancer: the invitation links use it.
    APP_URL: appUrl,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: "4",
    BETTER_AUTH_SECRET: secret,
    AUTH_RATE_LIMIT: "100",
    JOBS_IN_SERVER: "on",
    JOBS_INTERVAL_SECONDS: "5",
    IMPORT_LEASE_SECONDS: String(LEASE_SECONDS),
  });
  instances.push({ name, ...instance });
  return instances.at(-1)!;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  expect(handle.kind).toBe("postgres");
  requireBuild("IMPORT_LEASE_SECONDS", "IMPORT_LEASE_SECONDS");
  databaseUrl = await databaseUrlOf(handle);
  const [portA, portB] = [await freePort(), await freePort()];
  appUrl = `http://127.0.0.1:${portA}`;
  // One after the other: each imports the curriculum at start, and B finds it already there.
  await startInstance("A", portA);
  await startInstance("B", portB);
}, 120_000);

afterAll(() => stopInstances(instances));

/** A browser's cookie jar for one person, and same-origin form posts (the edge refuses other origins). */
function browser() {
  let cookie = "";
  const keep = (response: Response) => {
    const set = response.headers.getSetCookie().map((c) => c.split(";")[0]!);
    if (set.length) cookie = [...cookie.split("; ").filter((c) => c && !set.some((s) => s.split("=")[0] === c.split("=")[0])), ...set].join("; ");
    return response;
  };
  return {
    /** A page's HTML with React's text separators (<!-- -->) taken out, so sentences read as shown. */
    page: async (base: string, pathname: string) => (await keep(await fetch(`${base}${pathname}`, { headers: { cookie } })).text()).replaceAll("<!-- -->", ""),
    post: async (base: string, pathname: string, body: FormData | URLSearchParams) =>
      keep(await fetch(`${base}${pathname}`, { method: "POST", redirect: "manual", headers: { cookie, origin: appUrl }, body })),
  };
}

/** The staff list: 4,000 learners in three teams, as a lead would export it from their HR system. */
function staffList(domain: string): string {
  const lines = ["email,name,staff number,team,role"];
  for (let i = 0; i < ROWS; i++) lines.push(`officer.${i}@${domain},Officer ${i},SN${i},Response Team ${i % 3},PC`);
  return `${lines.join("\n")}\n`;
}

const importRow = async (id: string) => (await handle.db.select().from(staffImports).where(eq(staffImports.id, id)))[0]!;

test("an instance killed mid-apply: the other takes the import over when its lease runs out and finishes it, everyone once", async () => {
  const [a, b] = instances as [Instance, Instance];
  const { org, lead } = await createOrganisation({ name: "Two Instance Police", seats: 5000 });
  const domain = `${org.slug}.example.org`;
  const lee = browser();

  // The lead's part, through the pages on instance A.
  const signedIn = await lee.post(a.base, "/login", new URLSearchParams({ email: lead.email, password: lead.password, redirectTo: "/learning" }));
  expect(signedIn.status).toBe(302);
  const upload = new FormData();
  upload.set("file", new Blob([staffList(domain)], { type: "text/csv" }), "staff.csv");
  const uploaded = await lee.post(a.base, `/org/${org.slug}/people/import`, upload);
  expect(uploaded.status).toBe(302);
  const preview = uploaded.headers.get("location")!;
  expect(preview).toMatch(new RegExp(`^/org/${org.slug}/people/import/[0-9a-f-]{36}$`));
  const importId = preview.split("/").pop()!;
  const check = await lee.page(a.base, preview);
  expect(check).toContain("Apply: invite 4000, update 0");
  const applied = await lee.post(a.base, preview, new URLSearchParams({ intent: "apply" }));
  expect({ status: applied.status, location: applied.headers.get("location") }).toEqual({ status: 302, location: preview });
  const progressPage = await lee.page(a.base, preview);
  expect(progressPage).toContain("<title>Applying the upload – Distinct</title>");
  expect(progressPage).toMatch(/[0-9,]+ of 4,000 people done/);

  // Part of the way through, with its lease held: kill the instance applying it.
  let row = await importRow(importId);
  for (let started = Date.now(); row.status === "applying" && row.progressDone < 300 && Date.now() - started < 60_000; row = await importRow(importId)) await pause(25);
  expect({ status: row.status, total: row.progressTotal }).toEqual({ status: "applying", total: 4000 });
  expect(row.progressDone).toBeGreaterThanOrEqual(300);
  expect(row.progressDone).toBeLessThan(2000);
  const applier = instances.find((i) => row.leaseOwner?.startsWith(`${i.child.pid}-`));
  // A took the Apply and starts the job at once; B's scheduler could only have claimed it first in the
  // instant between Apply's commit and A's claim. Either way one of the two holds the lease.
  expect(applier, `lease owner ${row.leaseOwner}, instances ${a.child.pid} and ${b.child.pid}`).toBeDefined();
  const survivor = applier === a ? b : a;
  applier!.child.kill("SIGKILL");
  expect(await applier!.exited).toBe("SIGKILL");

  // What the killed instance left: whole batches only (a batch in flight rolled back with its connection).
  const left = await importRow(importId);
  expect({ status: left.status, owner: left.leaseOwner, batchesWhole: left.progressDone % 100 }).toEqual({ status: "applying", owner: row.leaseOwner, batchesWhole: 0 });
  const invitedAtKill = (await handle.db.select({ n: count() }).from(people).where(and(eq(people.organizationId, org.id), like(people.email, `%@${domain}`))))[0]!.n;
  expect(invitedAtKill).toBe(left.progressDone);
  // The lead, reloading on the surviving instance, sees the progress where it stopped.
  const stalled = await lee.page(survivor.base, preview);
  expect(stalled).toContain(`${left.progressDone.toLocaleString("en-GB")} of 4,000 people done`);

  // The survivor's scheduler (every 5 s) claims it once the lease has run out, and finishes it.
  row = await importRow(importId);
  for (let started = Date.now(); row.status === "applying" && Date.now() - started < 80_000; row = await importRow(importId)) await pause(100);
  expect({ status: row.status, done: row.progressDone, total: row.progressTotal, owner: row.leaseOwner, failures: row.failures, error: row.error, plan: row.plan }).toEqual({ status: "applied", done: 4000, total: 4000, owner: null, failures: 0, error: null, plan: null });
  expect(row.summary).toEqual({ invited: 4000, updated: 0, unchanged: 0, rejected: 0, teamsCreated: 3 });
  expect(survivor.child.exitCode).toBeNull();

  // Everyone exactly once: 4,000 people invited, one invitation and one invitation mail each.
  const [roster] = await handle.db
    .select({ rows: count(), emails: countDistinct(people.email), staffNumbers: countDistinct(people.staffNumber) })
    .from(people)
    .where(and(eq(people.organizationId, org.id), like(people.email, `%@${domain}`), eq(people.status, "invited")));
  expect(roster).toEqual({ rows: 4000, emails: 4000, staffNumbers: 4000 });
  const [invitations] = await handle.db
    .select({ rows: count(), emails: countDistinct(invitation.email), pending: sql<number>`count(*) filter (where ${invitation.status} = 'pending')`.mapWith(Number) })
    .from(invitation)
    .where(and(eq(invitation.organizationId, org.id), like(invitation.email, `%@${domain}`)));
  expect(invitations).toEqual({ rows: 4000, emails: 4000, pending: 4000 });
  const [mails] = await handle.db
    .select({ rows: count(), recipients: countDistinct(emailOutbox.recipient) })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.kind, "invitation"), like(emailOutbox.recipient, `%@${domain}`)));
  expect(mails).toEqual({ rows: 4000, recipients: 4000 });
  const teams = await handle.db.select({ name: team.name }).from(team).where(eq(team.organizationId, org.id)).orderBy(asc(team.name));
  expect(teams).toEqual([{ name: "Response Team 0" }, { name: "Response Team 1" }, { name: "Response Team 2" }]);
  const audits = await handle.db
    .select({ actorId: auditEvents.actorId, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "people.imported"), eq(auditEvents.organizationId, org.id)));
  expect(audits).toEqual([{ actorId: lead.id, details: { invited: 4000, updated: 0, unchanged: 0, rejected: 0, teamsCreated: 3 } }]);

  // And the lead's page, on the instance that finished it.
  const done = await lee.page(survivor.base, preview);
  expect(done).toContain("Staff list applied");
  expect(done).toContain("4,000 people: each has been sent an invitation");
}, 120_000);

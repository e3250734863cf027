import { and, count, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents, emailOutbox, invitation, people, staffImports } from "#db/schema/index.ts";
import { applyImportBatch, checkUpload, claimImport, requestApply, runImportJobs } from "#app/models/organisations/staff-import.server.ts";
import { createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();

/** A staff list of `rows` learners on `domain`. */
function staffList(rows: number, domain: string): Uint8Array {
  const lines = ["email,name,staff number,team,role"];
  for (let i = 0; i < rows; i++) lines.push(`officer.${i}@${domain},Officer ${i},SN${i},Response Team ${i % 3},PC`);
  return new TextEncoder().encode(lines.join("\n"));
}

async function queuedImport(rows: number) {
  const { org, lead } = await createOrganisation({ seats: 1000 });
  const domain = `${org.slug}.example.org`;
  const importId = await checkUpload(lead, org.id, "staff.csv", staffList(rows, domain));
  await requestApply(lead, org.id, importId);
  return { org, importId, domain };
}

const importRow = async (id: string) => (await handle.db.select().from(staffImports).where(eq(staffImports.id, id)))[0]!;

test("two instances claiming the same waiting import at once: exactly one gets it", async () => {
  const { importId } = await queuedImport(3);
  const claims = await Promise.all([claimImport("instance-a"), claimImport("instance-b")]);
  expect(claims.filter((c) => c !== null)).toEqual([importId]);
  const row = await importRow(importId);
  expect(["instance-a", "instance-b"]).toContain(row.leaseOwner);
  // Nobody else can take it while the lease runs.
  expect(await claimImport("instance-c")).toBeNull();
  // The winner finishes it, so the other tests in this file find nothing of it to claim.
  expect(await applyImportBatch(importId, row.leaseOwner!)).toEqual({ state: "applied", done: 3, total: 3 });
});

test("an instance that stops mid-apply is taken over when its lease runs out, and the import carries on from its progress", async () => {
  const { org, importId, domain } = await queuedImport(600);
  const t0 = Date.now();
  const at = (seconds: number) => ({ now: new Date(t0 + seconds * 1000), leaseMs: 60_000 });

  expect(await claimImport("instance-a", at(0))).toBe(importId);
  expect(await applyImportBatch(importId, "instance-a", at(1))).toEqual({ state: "continued", done: 100, total: 600 });
  // instance-a stops here (killed). Its lease, renewed at 1 s, runs until 61 s.
  expect(await claimImport("instance-b", at(30))).toBeNull();
  expect(await claimImport("instance-b", at(62))).toBe(importId);
  const taken = await importRow(importId);
  expect({ status: taken.status, done: taken.progressDone, total: taken.progressTotal, owner: taken.leaseOwner }).toEqual({
    status: "applying",
    done: 100,
    total: 600,
    owner: "instance-b",
  });

  // instance-a comes back to life mid-way: it no longer holds the lease and writes nothing.
  expect(await applyImportBatch(importId, "instance-a", at(63))).toEqual({ state: "lease-lost" });
  const invited = async () => (await handle.db.select({ n: count() }).from(people).where(and(eq(people.organizationId, org.id), eq(people.status, "invited"))))[0]!.n;
  expect(await invited()).toBe(100);

  const outcomes = [];
  for (let i = 0; i < 5; i++) outcomes.push(await applyImportBatch(importId, "instance-b", at(64 + i)));
  expect(outcomes).toEqual([
    { state: "continued", done: 200, total: 600 },
    { state: "continued", done: 300, total: 600 },
    { state: "continued", done: 400, total: 600 },
    { state: "continued", done: 500, total: 600 },
    { state: "applied", done: 600, total: 600 },
  ]);

  // Everyone once: 600 people, one pending invitation and one mail each, one audit entry.
  expect(await invited()).toBe(600);
  const invitations = await handle.db.select({ email: invitation.email }).from(invitation).where(and(eq(invitation.organizationId, org.id), eq(invitation.status, "pending")));
  expect(invitations.filter((i) => i.email.endsWith(`@${domain}`)).length).toBe(600);
  expect(new Set(invitations.map((i) => i.email)).size).toBe(invitations.length);
  const mails = await handle.db.select({ recipient: emailOutbox.recipient, priority: emailOutbox.priority }).from(emailOutbox).where(eq(emailOutbox.kind, "invitation"));
  const ours = mails.filter((m) => m.recipient.endsWith(`@${domain}`));
  expect(ours.length).toBe(600);
  expect(new Set(ours.map((m) => m.recipient)).size).toBe(600);
  expect(new Set(ours.map((m) => m.priority))).toEqual(new Set([1]));
  const done = await importRow(importId);
  expect({ status: done.status, summary: done.summary, owner: done.leaseOwner, plan: done.plan }).toEqual({
    status: "applied",
    summary: { invited: 600, updated: 0, unchanged: 0, rejected: 0, teamsCreated: 3 },
    owner: null,
    plan: null,
  });
  const audits = await handle.db.select({ n: count() }).from(auditEvents).where(and(eq(auditEvents.action, "people.imported"), eq(auditEvents.targetId, importId)));
  expect(audits[0]!.n).toBe(1);
  // Finished: nothing left for any instance to claim.
  expect(await claimImport("instance-c", at(300))).toBeNull();
});

test("the job applies every waiting import in batches and leaves nothing claimable", async () => {
  const first = await queuedImport(160);
  const second = await queuedImport(10);
  const result = await runImportJobs({ owner: "instance-a" });
  expect(result).toEqual({ applied: 2, batches: 3 });
  expect((await importRow(first.importId)).summary).toMatchObject({ invited: 160 });
  expect((await importRow(second.importId)).summary).toMatchObject({ invited: 10 });
});

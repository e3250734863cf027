/**
 * Issue 15, item 3: the trial seat limit is no longer a dead end. Through the
 * real route actions (a form post as the browser sends it, with the session
 * cookie): a staff list larger than the free seats is refused whole by
 * "Apply", applied in part by "Apply the rows that fit" (file order), and its
 * rows left out are kept and can be checked again; a lead asks for more seats
 * (stored, audited, mailed once), and a platform admin marks the request
 * handled, which mails the lead.
 */
import { and, asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents, emailOutbox, licences, people, seatRequests, staffImports, team } from "#db/schema/index.ts";
import { action as adminSeatRequestsAction, loader as adminSeatRequestsLoader } from "#app/routes/admin.seat-requests.tsx";
import { action as billingAction, loader as billingLoader } from "#app/routes/org.$orgSlug.billing.tsx";
import { action as previewAction } from "#app/routes/org.$orgSlug.people.import.$importId.tsx";
import { action as uploadAction } from "#app/routes/org.$orgSlug.people.import._index.tsx";
import { deleteAccount } from "#app/models/platform/account-deletion.server.ts";
import { acceptInvitation } from "#app/models/organisations/invitation.server.ts";
import { getImportPreview, runImportJobs } from "#app/models/organisations/staff-import.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { createUser, sessionCookie } from "#tests/factories.ts";
import { addLearner, createOrganisation, invitationToken } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
// Where purchase orders and seat requests go, as an operator would configure it.
Object.assign(getEnv(), { SUPPORT_EMAIL: "seats@trust.example.org" });

type ActionFn = (args: { request: Request; params: Record<string, string | undefined>; context: never }) => Promise<unknown>;
const ORIGIN = "http://localhost:3999";

async function call(fn: ActionFn, path: string, body: URLSearchParams | FormData, cookie: string, params: Record<string, string>) {
  const headers: Record<string, string> = { Origin: ORIGIN, Cookie: cookie };
  if (body instanceof URLSearchParams) headers["Content-Type"] = "application/x-www-form-urlencoded";
  try {
    return await fn({ request: new Request(`${ORIGIN}${path}`, { method: "POST", body, headers }), params, context: undefined as never });
  } catch (thrown) {
    return thrown;
  }
}
const post = (fn: ActionFn, path: string, fields: Record<string, string>, cookie: string, params: Record<string, string>) =>
  call(fn, path, new URLSearchParams(fields), cookie, params);

function location(answer: unknown): string {
  expect(answer).toBeInstanceOf(Response);
  expect((answer as Response).status).toBe(302);
  return (answer as Response).headers.get("Location") ?? "";
}
type DataReply<T> = { data: T; init: { status: number } | null };
const reply = <T,>(answer: unknown) => answer as DataReply<T>;

/** A staff list: 8 new learners (lines 2-9, two teams) and a training lead (line 10, a third team). */
function staffCsv(domain: string): File {
  const lines = ["email,name,staff number,team,role,access"];
  for (let i = 1; i <= 8; i++) lines.push(`officer.${i}@${domain},Officer ${i},SN${i},${i <= 5 ? "North" : "South"},PC,learner`);
  lines.push(`lead.two@${domain},Second Lead,SN99,Training Unit,Sergeant,training lead`);
  return new File([lines.join("\n")], "staff.csv", { type: "text/csv" });
}

async function uploadStaffList(org: { id: string; slug: string }, cookie: string): Promise<string> {
  const form = new FormData();
  form.set("file", staffCsv(`${org.slug}.example.org`));
  const to = location(await call(uploadAction, `/org/${org.slug}/people/import`, form, cookie, { orgSlug: org.slug }));
  const importId = /\/people\/import\/([0-9a-f-]{36})$/.exec(to)?.[1];
  expect(importId).toBeDefined();
  return importId!;
}

const rosterEmails = async (organizationId: string) =>
  (await handle.db.select({ email: people.email }).from(people).where(eq(people.organizationId, organizationId)).orderBy(asc(people.email))).map((p) => p.email.split("@")[0]);

test("a trial organisation's staff list too big for its seats: Apply is refused and writes nothing; 'apply the rows that fit' adds the first 5 learners in file order and the lead, and keeps the 3 left out", async () => {
  const { org, lead } = await createOrganisation({ name: "Trial Police" });
  const cookie = await sessionCookie(lead);
  const importId = await uploadStaffList(org, cookie);
  const path = `/org/${org.slug}/people/import/${importId}`;
  const params = { orgSlug: org.slug, importId };

  const preview = await getImportPreview(org.id, importId);
  expect(preview).toMatchObject({ fits: false, seatsNeeded: 8, seats: { state: "trial", free: 5 } });
  expect(preview!.fit).toEqual({
    invite: 6,
    update: 0,
    leftOut: [6, 7, 8].map((n) => ({ line: n + 1, email: `officer.${n}@${org.slug}.example.org`, name: `Officer ${n}`, reason: "No seat: the organisation's seats were full" })),
  });

  const refused = reply<{ error: string }>(await post(previewAction, path, { intent: "apply" }, cookie, params));
  expect(refused.init?.status).toBe(400);
  expect(refused.data.error).toBe("There are not enough free seats: this upload adds 8 learners and 5 seats are free.");
  expect(await rosterEmails(org.id)).toEqual([lead.email.split("@")[0]]);
  expect(await handle.db.select({ name: team.name }).from(team).where(eq(team.organizationId, org.id))).toEqual([]);

  expect(location(await post(previewAction, path, { intent: "apply-fitting" }, cookie, params))).toBe(path);
  await runImportJobs();
  expect(await rosterEmails(org.id)).toEqual(["lead.two", lead.email.split("@")[0], "officer.1", "officer.2", "officer.3", "officer.4", "officer.5"].sort());
  // "South" is named only by rows left out: it is not created.
  expect((await handle.db.select({ name: team.name }).from(team).where(eq(team.organizationId, org.id))).map((t) => t.name).sort()).toEqual(["North", "Training Unit"]);
  const [row] = await handle.db.select().from(staffImports).where(eq(staffImports.id, importId));
  expect(row).toMatchObject({ status: "applied", summary: { invited: 6, updated: 0, unchanged: 0, rejected: 0, teamsCreated: 2, leftOut: 3 } });
  expect(row!.leftOut!.map((r) => r.line)).toEqual([7, 8, 9]);
  const applied = await getImportPreview(org.id, importId);
  expect(applied!.leftOut.map((r) => `${r.line} ${r.name}: ${r.reason}`)).toEqual([
    "7 Officer 6: No seat: the organisation's seats were full",
    "8 Officer 7: No seat: the organisation's seats were full",
    "9 Officer 8: No seat: the organisation's seats were full",
  ]);

  // The rows left out, checked again: a new upload of those 3 rows. With no seat free, nothing of it fits.
  const again = location(await post(previewAction, path, { intent: "reapply" }, cookie, params));
  const againId = /\/people\/import\/([0-9a-f-]{36})$/.exec(again)![1]!;
  expect(againId).not.toBe(importId);
  // The rows moved to the new upload: not kept twice, and not checked again twice.
  expect((await handle.db.select({ leftOut: staffImports.leftOut }).from(staffImports).where(eq(staffImports.id, importId)))[0]!.leftOut).toBeNull();
  const twice = reply<{ error: string }>(await post(previewAction, path, { intent: "reapply" }, cookie, params));
  expect(twice.init?.status).toBe(400);
  expect(twice.data.error).toBe("The rows left out of this upload have already been checked again: see Recent uploads.");
  expect(await getImportPreview(org.id, againId)).toMatchObject({ fileName: "staff.csv (rows left out)", totalRows: 3, counts: { invite: 3 }, fits: false, fit: null, seats: { free: 0 } });
  const none = reply<{ error: string }>(await post(previewAction, again, { intent: "apply-fitting" }, cookie, { orgSlug: org.slug, importId: againId }));
  expect(none.init?.status).toBe(400);
  expect(none.data.error).toBe("No seats are free, so none of these rows can be applied. Ask for more seats, then apply the upload.");
  expect((await handle.db.select({ status: staffImports.status }).from(staffImports).where(eq(staffImports.id, againId)))[0]!.status).toBe("checked");

  // Once seats exist, the same upload applies whole.
  await handle.db.insert(licences).values({ organizationId: org.id, seats: 20, validFrom: new Date(Date.now() - 86_400_000), validUntil: new Date(Date.now() + 86_400_000 * 30), source: "manual" });
  expect(location(await post(previewAction, again, { intent: "apply" }, cookie, { orgSlug: org.slug, importId: againId }))).toBe(again);
  await runImportJobs();
  expect((await rosterEmails(org.id)).filter((e) => e!.startsWith("officer."))).toEqual(["officer.1", "officer.2", "officer.3", "officer.4", "officer.5", "officer.6", "officer.7", "officer.8"]);
});

test("a lead asks for seats on the billing page: stored, audited, one mail to SUPPORT_EMAIL and the platform admins; asking again changes the open request and mails no one", async () => {
  const { org, lead, platformAdmin } = await createOrganisation({ name: "Asking Police" });
  const cookie = await sessionCookie(lead);
  const path = `/org/${org.slug}/billing`;
  const params = { orgSlug: org.slug };

  const sent = await post(billingAction, path, { intent: "request-seats", seats: "20", message: "Purchase order PO-881 follows" }, cookie, params);
  expect(location(sent)).toBe(`${path}?seats=requested#seat-request`);
  const [request] = await handle.db.select().from(seatRequests).where(eq(seatRequests.organizationId, org.id));
  expect(request).toMatchObject({ seats: 20, message: "Purchase order PO-881 follows", status: "open", requestedBy: lead.id, requestedByEmail: lead.email, source: "billing" });
  const mails = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "seat-request"));
  expect(mails).toHaveLength(1);
  const recipients = mails[0]!.recipient.split(", ");
  expect(recipients[0]).toBe("seats@trust.example.org");
  expect(recipients).toContain(platformAdmin.email);
  expect(mails[0]!.subject).toBe("Seat request: Asking Police asks for 20 more seats");
  expect(mails[0]!.text).toContain(`Lee Lead (${lead.email}), a training lead of Asking Police, asks for 20 more seats on Distinct.`);
  expect(mails[0]!.text).toContain("They are on the free trial: 5 of 5 seats free.");
  expect(mails[0]!.text).toContain("http://localhost:3999/admin/seat-requests");

  const changed = await post(billingAction, path, { intent: "request-seats", seats: "30", message: "" }, cookie, params);
  expect(location(changed)).toBe(`${path}?seats=changed#seat-request`);
  const rows = await handle.db.select().from(seatRequests).where(eq(seatRequests.organizationId, org.id));
  expect(rows.map((r) => [r.id, r.seats, r.message, r.status])).toEqual([[request!.id, 30, null, "open"]]);
  expect(await handle.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "seat-request"))).toHaveLength(1);
  const events = await handle.db.select({ action: auditEvents.action, details: auditEvents.details }).from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.targetType, "seat-request"))).orderBy(asc(auditEvents.at));
  expect(events).toEqual([
    { action: "seat-request.created", details: { seats: 20, message: "Purchase order PO-881 follows", from: "billing" } },
    { action: "seat-request.changed", details: { seats: 30, previousSeats: 20, message: null } },
  ]);

  // The billing page shows the open request.
  const page = (await billingLoader({ request: new Request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } }), params, context: undefined as never })) as { openRequest: { seats: number } | null };
  expect(page.openRequest?.seats).toBe(30);
});

test("a seat request that is not a positive whole number within 100,000, or whose message is too long, is a 400 with the reason and stores nothing", async () => {
  const { org, lead } = await createOrganisation({ name: "Typo Police" });
  const cookie = await sessionCookie(lead);
  const path = `/org/${org.slug}/billing`;
  const cases: [Record<string, string>, Record<string, string>][] = [
    [{ seats: "0" }, { seats: "The number of seats must be 1 or more" }],
    [{ seats: "-4" }, { seats: "The number of seats must be 1 or more" }],
    [{ seats: "2.5" }, { seats: "Enter the number of seats as a whole number, like 25" }],
    [{ seats: "twenty" }, { seats: "Enter the number of seats as a whole number, like 25" }],
    [{ seats: "" }, { seats: "Enter the number of seats as a whole number, like 25" }],
    [{ seats: "100001" }, { seats: "The number of seats must be 100,000 or fewer" }],
    [{ seats: "5", message: "x".repeat(1001) }, { message: "The message must be 1,000 characters or fewer" }],
  ];
  for (const [fields, expected] of cases) {
    const answer = reply<{ seatRequest: { errors: Record<string, string[] | undefined> } }>(await post(billingAction, path, { intent: "request-seats", ...fields }, cookie, { orgSlug: org.slug }));
    expect(answer.init?.status, JSON.stringify(fields)).toBe(400);
    const messages = Object.fromEntries(Object.entries(answer.data.seatRequest.errors).filter(([, v]) => v?.length).map(([k, v]) => [k, v![0]]));
    expect(messages, JSON.stringify(fields)).toEqual(expected);
  }
  expect(await handle.db.select().from(seatRequests).where(eq(seatRequests.organizationId, org.id))).toEqual([]);

  // A learner of the organisation may not ask.
  const { learner } = await addLearner(org.id, lead);
  const refused = await post(billingAction, path, { intent: "request-seats", seats: "5" }, await sessionCookie(learner), { orgSlug: org.slug });
  expect((refused as Response).status).toBe(403);
  expect(await handle.db.select().from(seatRequests).where(eq(seatRequests.organizationId, org.id))).toEqual([]);
});

test("from the staff-list preview a lead asks for the seats missing; a platform admin marks it handled with a note, mailed to the lead; handling twice is refused", async () => {
  const { org, lead, platformAdmin } = await createOrganisation({ name: "Handled Police" });
  const cookie = await sessionCookie(lead);
  const importId = await uploadStaffList(org, cookie);
  const path = `/org/${org.slug}/people/import/${importId}`;
  const asked = await post(previewAction, path, { intent: "request-seats", seats: "3", message: "For the South team" }, cookie, { orgSlug: org.slug, importId });
  expect(location(asked)).toBe(`${path}?seats=requested#seat-request`);
  const [request] = await handle.db.select().from(seatRequests).where(eq(seatRequests.organizationId, org.id));
  expect(request).toMatchObject({ seats: 3, source: "import", status: "open" });

  const adminCookie = await sessionCookie(platformAdmin);
  const list = (await adminSeatRequestsLoader({ request: new Request(`${ORIGIN}/admin/seat-requests`, { headers: { Cookie: adminCookie } }), params: {}, context: undefined as never })) as {
    open: { id: string; organisation: { name: string }; seats: number }[];
  };
  expect(list.open.filter((r) => r.organisation.name === "Handled Police").map((r) => [r.id, r.seats])).toEqual([[request!.id, 3]]);

  // The lead may not handle requests; a blank note and an unknown request are refused.
  expect(((await post(adminSeatRequestsAction, "/admin/seat-requests", { intent: "handle", requestId: request!.id, note: "Done" }, cookie, {})) as Response).status).toBe(403);
  const blank = reply<{ error: string }>(await post(adminSeatRequestsAction, "/admin/seat-requests", { intent: "handle", requestId: request!.id, note: " " }, adminCookie, {}));
  expect(blank.init?.status).toBe(400);
  expect(blank.data.error).toBe("Enter a note for the training lead: what was done, or why not");
  const unknown = await post(adminSeatRequestsAction, "/admin/seat-requests", { intent: "handle", requestId: crypto.randomUUID(), note: "Done" }, adminCookie, {});
  expect((unknown as Response).status).toBe(404);
  expect((await handle.db.select({ status: seatRequests.status }).from(seatRequests).where(eq(seatRequests.id, request!.id)))[0]!.status).toBe("open");

  const done = await post(adminSeatRequestsAction, "/admin/seat-requests", { intent: "handle", requestId: request!.id, note: "Granted 10 seats until 31 March 2027" }, adminCookie, {});
  expect(location(done)).toBe("/admin/seat-requests?handled=Handled%20Police");
  expect((await handle.db.select().from(seatRequests).where(eq(seatRequests.id, request!.id)))[0]).toMatchObject({
    status: "handled",
    handledBy: platformAdmin.id,
    handledByName: "Platform Admin",
    handledNote: "Granted 10 seats until 31 March 2027",
  });
  const toLead = await handle.db.select().from(emailOutbox).where(and(eq(emailOutbox.recipient, lead.email), eq(emailOutbox.kind, "seat-request-handled")));
  expect(toLead.map((m) => m.subject)).toEqual(["Your request for 3 more seats for Handled Police"]);
  expect(toLead[0]!.text).toContain("“Granted 10 seats until 31 March 2027”");
  expect(toLead[0]!.text).toContain(`http://localhost:3999/org/${org.slug}/billing`);
  const [event] = await handle.db.select({ actor: auditEvents.actorId, details: auditEvents.details }).from(auditEvents).where(and(eq(auditEvents.targetId, request!.id), eq(auditEvents.action, "seat-request.handled")));
  expect(event).toEqual({ actor: platformAdmin.id, details: { seats: 3, note: "Granted 10 seats until 31 March 2027" } });

  const twice = reply<{ error: string }>(await post(adminSeatRequestsAction, "/admin/seat-requests", { intent: "handle", requestId: request!.id, note: "Again" }, adminCookie, {}));
  expect(twice.init?.status).toBe(409);
  expect(twice.data.error).toMatch(/^This request was already marked handled by Platform Admin on \d{1,2} \w+ \d{4}\. Nothing was changed or sent\.$/);
  expect(await handle.db.select().from(emailOutbox).where(and(eq(emailOutbox.recipient, lead.email), eq(emailOutbox.kind, "seat-request-handled")))).toHaveLength(1);

  // Once handled, the lead can ask again: a new open request.
  expect(location(await post(billingAction, `/org/${org.slug}/billing`, { intent: "request-seats", seats: "4" }, cookie, { orgSlug: org.slug }))).toBe(`/org/${org.slug}/billing?seats=requested#seat-request`);
  expect((await handle.db.select({ status: seatRequests.status }).from(seatRequests).where(eq(seatRequests.organizationId, org.id)).orderBy(asc(seatRequests.createdAt))).map((r) => r.status)).toEqual(["handled", "open"]);
});

test("deleting an account erases the person from seat requests they made and from staff-list rows left out, keeping the figures", async () => {
  const { org, lead } = await createOrganisation({ name: "Erasure Police" });
  const cookie = await sessionCookie(lead);
  // A second training lead (so the first may delete their account) and someone whose row is left out.
  const stranger = await createUser({ name: "Officer 8", email: `officer.8@${org.slug}.example.org` });
  const importId = await uploadStaffList(org, cookie);
  await post(previewAction, `/org/${org.slug}/people/import/${importId}`, { intent: "apply-fitting" }, cookie, { orgSlug: org.slug, importId });
  await runImportJobs();
  const second = await createUser({ name: "Second Lead", email: `lead.two@${org.slug}.example.org` });
  await acceptInvitation(await invitationToken(second.email), second);
  await post(billingAction, `/org/${org.slug}/billing`, { intent: "request-seats", seats: "12" }, cookie, { orgSlug: org.slug });

  await deleteAccount(lead.id, lead.password);
  await deleteAccount(stranger.id, stranger.password);

  const [request] = await handle.db.select().from(seatRequests).where(eq(seatRequests.organizationId, org.id));
  expect(request).toMatchObject({ seats: 12, requestedByName: "Deleted account", requestedByEmail: `deleted-${lead.id}@deleted.invalid` });
  const [upload] = await handle.db.select({ leftOut: staffImports.leftOut }).from(staffImports).where(eq(staffImports.id, importId));
  expect(upload!.leftOut!.map((r) => r.email)).toEqual([`officer.6@${org.slug}.example.org`, `officer.7@${org.slug}.example.org`]);
});

import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents, licences, member, people } from "#db/schema/index.ts";
import {
  assertSeatsAvailable,
  changeLicenceSeats,
  endLicence,
  extendLicence,
  grantLicence,
  LicenceInputError,
  SeatLimitError,
  seatSummary,
  TRIAL_SEATS,
} from "#app/models/billing/licence.server.ts";
import { createOrganisation } from "#app/models/organisations/organisation.server.ts";
import { action as licencesAction, loader as licencesLoader } from "#app/routes/admin.organisations.$orgId.licences.tsx";
import { action as billingAction, loader as billingLoader } from "#app/routes/org.$orgSlug.billing.tsx";
import { endOfLondonDay, isCalendarDay, londonDay, startOfLondonDay } from "#app/utils/billing-validation.ts";
import { createUser, sessionCookie, type TestUser } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

// Billing by card is off in this file (tests/vitest.config.ts leaves Stripe unconfigured): manual licences only.

const handle = await openTestDatabase();

const DAY = 24 * 3600_000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);
const day = (days: number) => londonDay(daysFromNow(days));

async function organisation(name = "Test Constabulary") {
  const slug = `test-${crypto.randomBytes(4).toString("hex")}`;
  return createOrganisation(handle.db, "system", { name, slug, domains: [] });
}

async function addLead(organizationId: string): Promise<TestUser> {
  const lead = await createUser({ name: "Lee Lead" });
  await handle.db.insert(member).values({ id: crypto.randomUUID(), organizationId, userId: lead.id, role: "admin", createdAt: new Date() });
  await handle.db
    .insert(people)
    .values({ organizationId, email: lead.email, name: lead.name, role: "admin", status: "active", userId: lead.id });
  return lead;
}

async function addLearnerAccount(organizationId: string): Promise<TestUser> {
  const learner = await createUser({ name: "Lou Learner" });
  await handle.db
    .insert(member)
    .values({ id: crypto.randomUUID(), organizationId, userId: learner.id, role: "member", createdAt: new Date() });
  await handle.db
    .insert(people)
    .values({ organizationId, email: learner.email, name: learner.name, role: "member", status: "active", userId: learner.id });
  return learner;
}

/** Roster rows only, the way an import or invitation writes them. */
async function addPeople(
  organizationId: string,
  count: number,
  status: "active" | "invited" | "left",
  role: "member" | "admin" = "member",
) {
  if (count === 0) return;
  await handle.db.insert(people).values(
    Array.from({ length: count }, () => ({
      organizationId,
      email: `${status}-${crypto.randomBytes(5).toString("hex")}@force.example.org`,
      name: "Person",
      role,
      status,
    })),
  );
}

async function insertLicence(organizationId: string, values: { seats: number; from: number; until: number; endedDaysAgo?: number }) {
  await handle.db.insert(licences).values({
    organizationId,
    seats: values.seats,
    validFrom: daysFromNow(values.from),
    validUntil: daysFromNow(values.until),
    source: "manual",
    endedAt: values.endedDaysAgo === undefined ? null : daysFromNow(-values.endedDaysAgo),
  });
}

async function platformAdmin() {
  const admin = await createUser({ role: "admin", name: "Ada Admin" });
  return { ...admin, role: "admin" as const, emailVerified: true, cookie: await sessionCookie(admin) };
}

function request(path: string, options: { cookie?: string; form?: Record<string, string> } = {}) {
  return new Request(`http://localhost:3999${path}`, {
    method: options.form ? "POST" : "GET",
    body: options.form ? new URLSearchParams(options.form) : undefined,
    headers: {
      ...(options.cookie ? { Cookie: options.cookie } : {}),
      ...(options.form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
  });
}

/** Runs a loader or action the way Remix does; a thrown Response comes back as the value. */
async function run<T>(
  fn: (args: { request: Request; params: Record<string, string>; context: never }) => Promise<T>,
  req: Request,
  params: Record<string, string>,
) {
  try {
    return await fn({ request: req, params, context: undefined as never });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Reply = { data: { result: { status?: string; error?: Record<string, string[] | null> } }; init: { status: number } | null };
function reply(value: unknown): Reply {
  expect(value).toHaveProperty("init");
  return value as Reply;
}

test("with no licence an organisation is on a small free trial; leads take no seat, invitations hold one, leavers free theirs", async () => {
  const org = await organisation();
  await addPeople(org.id, 2, "active", "admin");
  await addPeople(org.id, 2, "active");
  await addPeople(org.id, 1, "invited");
  await addPeople(org.id, 4, "left");
  expect(await seatSummary(org.id)).toEqual({
    state: "trial",
    seats: TRIAL_SEATS,
    used: 2,
    reserved: 1,
    free: TRIAL_SEATS - 3,
    validUntil: null,
    source: null,
    paymentFailed: false,
  });
  // A licence that has not started yet does not end the trial.
  await insertLicence(org.id, { seats: 50, from: 10, until: 375 });
  expect(await seatSummary(org.id)).toMatchObject({ state: "trial", seats: TRIAL_SEATS });
});

test("seats are the sum of the licences in force now; ended and future ones do not count; validUntil is the first to end", async () => {
  const org = await organisation();
  await insertLicence(org.id, { seats: 50, from: -100, until: 200 });
  await insertLicence(org.id, { seats: 20, from: -10, until: 30 });
  await insertLicence(org.id, { seats: 1000, from: -10, until: 300, endedDaysAgo: 1 });
  await insertLicence(org.id, { seats: 500, from: 5, until: 400 });
  await insertLicence(org.id, { seats: 7, from: -400, until: -40 });
  await addPeople(org.id, 60, "active");
  await addPeople(org.id, 5, "invited");
  const summary = await seatSummary(org.id);
  expect(summary).toMatchObject({ state: "licensed", seats: 70, used: 60, reserved: 5, free: 5, source: "manual", paymentFailed: false });
  expect(Math.abs(summary.validUntil!.getTime() - daysFromNow(30).getTime())).toBeLessThan(60_000);
});

test("when every licence has ended the organisation is expired: no seats, and the message says existing learners keep learning", async () => {
  const org = await organisation();
  await insertLicence(org.id, { seats: 50, from: -400, until: -35 });
  await addPeople(org.id, 30, "active");
  const summary = await seatSummary(org.id);
  expect(summary).toMatchObject({ state: "expired", seats: 0, used: 30, free: 0, source: "manual" });
  expect(Math.abs(summary.validUntil!.getTime() - daysFromNow(-35).getTime())).toBeLessThan(60_000);
  const error = await handle.db.transaction((tx) => assertSeatsAvailable(tx, org.id, 1)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SeatLimitError);
  expect((error as SeatLimitError).message).toMatch(
    /^The organisation's licence ended on .+\. Learners already added keep learning, but no one new can be added\./,
  );
  // A licence ended by an admin before it ever started does not count as having been licensed.
  const other = await organisation();
  await insertLicence(other.id, { seats: 10, from: 3, until: 100, endedDaysAgo: 0 });
  expect((await seatSummary(other.id)).state).toBe("trial");
});

test("assertSeatsAvailable lets learners in while they fit and refuses the rest with a plain message", async () => {
  const org = await organisation();
  await insertLicence(org.id, { seats: 50, from: -1, until: 300 });
  await addPeople(org.id, 48, "active");
  await addPeople(org.id, 2, "invited");
  await addPeople(org.id, 3, "active", "admin");
  await addPeople(org.id, 9, "left");
  const error = await handle.db.transaction((tx) => assertSeatsAvailable(tx, org.id, 3)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SeatLimitError);
  const limit = error as SeatLimitError;
  expect(limit.requested).toBe(3);
  expect(limit.summary).toMatchObject({ seats: 50, used: 48, reserved: 2, free: 0 });
  expect(limit.message).toBe(
    "All 50 seats are taken (48 learners, 2 invitations waiting). To add 3 more learners, buy more seats under Seats and billing, withdraw invitations, or remove people who have left.",
  );
  // Withdrawing an invitation frees its seat.
  const [invited] = await handle.db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.organizationId, org.id), eq(people.status, "invited")))
    .limit(1);
  await handle.db.update(people).set({ status: "left" }).where(eq(people.id, invited!.id));
  await handle.db.transaction((tx) => assertSeatsAvailable(tx, org.id, 1));
  const partly = await handle.db.transaction((tx) => assertSeatsAvailable(tx, org.id, 2)).catch((e: unknown) => e);
  expect((partly as Error).message).toMatch(/^Only 1 of 50 seats is free \(48 learners, 1 invitation waiting\)\. To add 2 more learners/);
  // The trial says it is a trial.
  const trial = await organisation();
  await addPeople(trial.id, TRIAL_SEATS, "active");
  const full = await handle.db.transaction((tx) => assertSeatsAvailable(tx, trial.id, 1)).catch((e: unknown) => e);
  expect((full as Error).message).toMatch(/^The free trial allows 5 learners: all 5 seats are taken/);
});

test("two imports at once cannot both take the last seat", async () => {
  const org = await organisation();
  await insertLicence(org.id, { seats: 10, from: -1, until: 300 });
  await addPeople(org.id, 9, "active");
  const importOne = (label: string) =>
    handle.db.transaction(async (tx) => {
      await assertSeatsAvailable(tx, org.id, 1);
      // Give the other transaction every chance to slip in between the check and the write.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await tx.insert(people).values({ organizationId: org.id, email: `${label}@force.example.org`, name: label, status: "invited" });
      return label;
    });
  const results = await Promise.allSettled([importOne("first"), importOne("second"), importOne("third")]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(rejected).toHaveLength(2);
  for (const r of rejected) expect(r.reason).toBeInstanceOf(SeatLimitError);
  expect(await seatSummary(org.id)).toMatchObject({ seats: 10, used: 9, reserved: 1, free: 0 });
});

test("a platform admin grants, extends, resizes and ends a manual licence; each change ends one row and starts another, audited", async () => {
  const org = await organisation();
  const admin = await platformAdmin();
  const grantedId = await grantLicence(admin, org.id, { seats: 50, validFrom: day(-30), validUntil: day(300), purchaseOrder: "PO-1234" });
  expect(await seatSummary(org.id)).toMatchObject({ state: "licensed", seats: 50, source: "manual" });

  const extendedId = await extendLicence(admin, org.id, grantedId, { validUntil: day(400), purchaseOrder: "PO-2000" });
  const resizedId = await changeLicenceSeats(admin, org.id, extendedId, { seats: 80 });
  const summary = await seatSummary(org.id);
  expect(summary).toMatchObject({ state: "licensed", seats: 80 });
  expect(londonDay(summary.validUntil!)).toBe(day(400));

  const rows = await handle.db.select().from(licences).where(eq(licences.organizationId, org.id)).orderBy(asc(licences.createdAt));
  expect(rows.map((r) => [r.seats, r.purchaseOrder, r.endedAt !== null])).toEqual([
    [50, "PO-1234", true],
    [50, "PO-2000", true],
    [80, "PO-2000", false],
  ]);
  // Never two rows in force at one moment: each successor starts when its predecessor ended.
  expect(rows[1]!.validFrom.getTime()).toBeGreaterThanOrEqual(rows[0]!.endedAt!.getTime());
  expect(rows[2]!.validFrom.getTime()).toBeGreaterThanOrEqual(rows[1]!.endedAt!.getTime());
  expect(rows[2]!.note).toBe("Seats changed from 50 to 80");

  await endLicence(admin, org.id, resizedId, { reason: "Contract terminated early" });
  expect(await seatSummary(org.id)).toMatchObject({ state: "expired", seats: 0 });

  const events = await handle.db
    .select({ action: auditEvents.action, actorId: auditEvents.actorId, targetId: auditEvents.targetId, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, org.id), sql`${auditEvents.action} like 'licence.%'`))
    .orderBy(asc(auditEvents.id));
  expect(events.map((e) => [e.action, e.actorId, e.targetId])).toEqual([
    ["licence.granted", admin.id, grantedId],
    ["licence.extended", admin.id, extendedId],
    ["licence.seats-changed", admin.id, resizedId],
    ["licence.ended", admin.id, resizedId],
  ]);
  expect(events[0]!.details).toMatchObject({ seats: 50, purchaseOrder: "PO-1234" });
  expect(events[1]!.details).toMatchObject({ replaces: grantedId, purchaseOrder: "PO-2000" });
  expect(events[2]!.details).toMatchObject({ replaces: extendedId, from: 50, to: 80 });
  expect(events[3]!.details).toMatchObject({ reason: "Contract terminated early" });

  // An ended licence cannot be changed again.
  await expect(extendLicence(admin, org.id, resizedId, { validUntil: day(500) })).rejects.toThrow(/already ended or changed/);
});

test("manual licence changes with bad input are refused with a reason and write nothing", async () => {
  const org = await organisation();
  const admin = await platformAdmin();
  await expect(grantLicence(admin, org.id, { seats: 5, validFrom: day(-400), validUntil: day(-1) })).rejects.toThrow(LicenceInputError);
  const id = await grantLicence(admin, org.id, { seats: 5, validFrom: day(0), validUntil: day(100) });
  const earlier = await extendLicence(admin, org.id, id, { validUntil: day(50) }).catch((e: unknown) => e);
  expect(earlier).toMatchObject({ field: "validUntil" });
  expect((earlier as Error).message).toMatch(/must be after the current one/);
  expect(await changeLicenceSeats(admin, org.id, id, { seats: 5 }).catch((e: unknown) => e)).toMatchObject({ field: "seats" });
  const rows = await handle.db.select().from(licences).where(eq(licences.organizationId, org.id));
  expect(rows).toHaveLength(1);
  expect(rows[0]!.endedAt).toBeNull();
  // Another organisation's licence is not found through this one.
  const other = await organisation();
  await expect(endLicence(admin, other.id, id, { reason: "Wrong organisation" })).rejects.toThrow(/no such licence/);
});

test("the licences page is for platform admins only, 404 for an unknown organisation, and bad input is a 400 with field messages", async () => {
  const org = await organisation("Westshire Police");
  const admin = await platformAdmin();
  const path = `/admin/organisations/${org.id}/licences`;
  const params = { orgId: org.id };

  const lead = await addLead(org.id);
  const forbidden = await run(licencesLoader, request(path, { cookie: await sessionCookie(lead) }), params);
  expect(forbidden).toBeInstanceOf(Response);
  expect((forbidden as Response).status).toBe(403);
  const anonymous = await run(licencesLoader, request(path), params);
  expect((anonymous as Response).status).toBe(302);

  const unknown = await run(licencesLoader, request("/admin/organisations/nope/licences", { cookie: admin.cookie }), { orgId: "nope" });
  expect((unknown as Response).status).toBe(404);
  const unknownPost = await run(
    licencesAction,
    request("/admin/organisations/nope/licences", { cookie: admin.cookie, form: { intent: "grant" } }),
    { orgId: "nope" },
  );
  expect((unknownPost as Response).status).toBe(404);

  const page = await run(licencesLoader, request(path, { cookie: admin.cookie }), params);
  expect(page).toMatchObject({ organisation: { id: org.id, name: "Westshire Police" }, summary: { state: "trial" }, licences: [] });

  const empty = reply(
    await run(
      licencesAction,
      request(path, { cookie: admin.cookie, form: { intent: "grant", seats: "", validFrom: "", validUntil: "" } }),
      params,
    ),
  );
  expect(empty.init?.status).toBe(400);
  expect(empty.data.result.error).toMatchObject({
    seats: ["Enter the number of seats as a whole number, like 50"],
    validFrom: ["Enter the start date"],
    validUntil: ["Enter the end date"],
  });
  const bad = reply(
    await run(
      licencesAction,
      request(path, { cookie: admin.cookie, form: { intent: "grant", seats: "-3", validFrom: "2027-02-30", validUntil: day(10) } }),
      params,
    ),
  );
  expect(bad.data.result.error).toMatchObject({
    seats: ["The number of seats must be 1 or more"],
    validFrom: [expect.stringMatching(/real date/)],
  });
  const backwards = reply(
    await run(
      licencesAction,
      request(path, { cookie: admin.cookie, form: { intent: "grant", seats: "10", validFrom: day(10), validUntil: day(5) } }),
      params,
    ),
  );
  expect(backwards.data.result.error?.validUntil?.[0]).toMatch(/same as or after the start date/);
  const past = reply(
    await run(
      licencesAction,
      request(path, { cookie: admin.cookie, form: { intent: "grant", seats: "10", validFrom: day(-100), validUntil: day(-5) } }),
      params,
    ),
  );
  expect(past.init?.status).toBe(400);
  expect(past.data.result.error?.validUntil).toEqual(["The end date must be today or later"]);
  const tampered = reply(await run(licencesAction, request(path, { cookie: admin.cookie, form: { intent: "delete-everything" } }), params));
  expect(tampered.init?.status).toBe(400);
  expect(await handle.db.select().from(licences).where(eq(licences.organizationId, org.id))).toHaveLength(0);

  const granted = await run(
    licencesAction,
    request(path, {
      cookie: admin.cookie,
      form: { intent: "grant", seats: "120", validFrom: day(0), validUntil: day(364), purchaseOrder: " PO-77 " },
    }),
    params,
  );
  expect((granted as Response).status).toBe(302);
  expect((granted as Response).headers.get("Location")).toBe(`${path}?done=granted`);
  const [row] = await handle.db.select().from(licences).where(eq(licences.organizationId, org.id));
  expect(row).toMatchObject({ seats: 120, purchaseOrder: "PO-77", source: "manual", createdBy: admin.id });

  // A change form for a licence of another organisation is a 404, and so is posting one.
  const other = await organisation();
  const otherPath = `/admin/organisations/${other.id}/licences`;
  const wrongPage = await run(licencesLoader, request(`${otherPath}?change=end&licence=${row!.id}`, { cookie: admin.cookie }), {
    orgId: other.id,
  });
  expect((wrongPage as Response).status).toBe(404);
  const wrongPost = await run(
    licencesAction,
    request(otherPath, { cookie: admin.cookie, form: { intent: "end", licenceId: row!.id, reason: "Not theirs at all" } }),
    {
      orgId: other.id,
    },
  );
  expect((wrongPost as Response).status).toBe(404);
  const seats = reply(
    await run(
      licencesAction,
      request(path, { cookie: admin.cookie, form: { intent: "change-seats", licenceId: row!.id, seats: "120" } }),
      params,
    ),
  );
  expect(seats.data.result.error?.seats?.[0]).toMatch(/already has 120 seats/);
});

test("the billing page: 404 for another organisation's lead, 403 for a learner; without Stripe it offers invoices, and buying by card is refused", async () => {
  const org = await organisation("Eastshire Police");
  const lead = await addLead(org.id);
  const learner = await addLearnerAccount(org.id);
  const other = await organisation("Northshire Police");
  const otherLead = await addLead(other.id);
  const path = `/org/${org.slug}/billing`;
  const params = { orgSlug: org.slug };

  const notTheirs = await run(billingLoader, request(path, { cookie: await sessionCookie(otherLead) }), params);
  expect((notTheirs as Response).status).toBe(404);
  const notTheirsPost = await run(
    billingAction,
    request(path, { cookie: await sessionCookie(otherLead), form: { intent: "buy", seats: "5" } }),
    params,
  );
  expect((notTheirsPost as Response).status).toBe(404);
  const learnerCookie = await sessionCookie(learner);
  expect(((await run(billingLoader, request(path, { cookie: learnerCookie }), params)) as Response).status).toBe(403);
  expect(
    ((await run(billingAction, request(path, { cookie: learnerCookie, form: { intent: "manage" } }), params)) as Response).status,
  ).toBe(403);

  await insertLicence(org.id, { seats: 25, from: -5, until: 360 });
  await addPeople(org.id, 3, "invited");
  const cookie = await sessionCookie(lead);
  const page = await run(billingLoader, request(path, { cookie }), params);
  expect(page).toMatchObject({
    organisation: { name: "Eastshire Police", slug: org.slug },
    summary: { state: "licensed", seats: 25, used: 1, reserved: 3, free: 21, source: "manual", paymentFailed: false },
    card: { enabled: false, canManage: false },
    licences: [{ seats: 25, source: "manual", status: { label: "Current" } }],
  });
  const refused = reply(await run(billingAction, request(path, { cookie, form: { intent: "buy", seats: "10" } }), params));
  expect(refused.init?.status).toBe(400);
  expect(refused.data.result.error?.[""]?.[0]).toMatch(/not set up/);
  const badSeats = reply(await run(billingAction, request(path, { cookie, form: { intent: "buy", seats: "ten" } }), params));
  expect(badSeats.init?.status).toBe(400);
  expect(badSeats.data.result.error?.seats).toEqual(["Enter the number of seats as a whole number, like 50"]);
});

test("licence days run from midnight to the last millisecond of the day in London, in winter and summer time", () => {
  expect(startOfLondonDay("2027-01-15").toISOString()).toBe("2027-01-15T00:00:00.000Z");
  expect(endOfLondonDay("2027-01-15").toISOString()).toBe("2027-01-15T23:59:59.999Z");
  expect(startOfLondonDay("2027-07-01").toISOString()).toBe("2027-06-30T23:00:00.000Z");
  expect(endOfLondonDay("2027-07-01").toISOString()).toBe("2027-07-01T22:59:59.999Z");
  // The days the clocks change are 23 and 25 hours long.
  expect(endOfLondonDay("2027-03-28").getTime() + 1 - startOfLondonDay("2027-03-28").getTime()).toBe(23 * 3600_000);
  expect(endOfLondonDay("2027-10-31").getTime() + 1 - startOfLondonDay("2027-10-31").getTime()).toBe(25 * 3600_000);
  expect(londonDay(endOfLondonDay("2027-07-01"))).toBe("2027-07-01");
  expect(londonDay(new Date("2027-06-30T23:30:00Z"))).toBe("2027-07-01");
  expect(["2027-02-29", "2028-02-29", "2027-13-01", "27-01-01", "2027-1-1"].map(isCalendarDay)).toEqual([false, true, false, false, false]);
});

/**
 * Seat requests when two people press the button at the same moment.
 * PostgreSQL only (the embedded database runs one transaction at a time):
 * tests/vitest.config.ts includes this file only when TEST_DATABASE_URL is
 * set, and the first test fails (rather than skips) on any other database.
 */
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { emailOutbox, seatRequests } from "#db/schema/index.ts";
import { handleSeatRequest, requestSeats, SeatRequestHandledError } from "#app/models/billing/seat-request.server.ts";
import { createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();

test("PostgreSQL only: this file runs on PostgreSQL (TEST_DATABASE_URL), where transactions overlap", async () => {
  expect(handle.kind).toBe("postgres");
});

test("on PostgreSQL, five requests for seats at once make one open request, mailed once", async () => {
  const { org, lead } = await createOrganisation({ name: "Racing Police" });
  const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => requestSeats(lead, org, { seats: n * 10, source: "billing" })));
  expect(outcomes.map((o) => o.outcome).sort()).toEqual(["created", "updated", "updated", "updated", "updated"]);
  const rows = await handle.db.select({ status: seatRequests.status }).from(seatRequests).where(eq(seatRequests.organizationId, org.id));
  expect(rows).toEqual([{ status: "open" }]);
  const mails = await handle.db.select({ subject: emailOutbox.subject }).from(emailOutbox).where(eq(emailOutbox.kind, "seat-request"));
  expect(mails.filter((m) => m.subject.startsWith("Seat request: Racing Police"))).toHaveLength(1);
});

test("on PostgreSQL, two admins marking one request handled at once: one wins, the other is told, the lead is mailed once", async () => {
  const { org, lead, platformAdmin } = await createOrganisation({ name: "Twice Police" });
  const { request } = await requestSeats(lead, org, { seats: 7, source: "billing" });
  const results = await Promise.allSettled([handleSeatRequest(platformAdmin, request.id, "Granted"), handleSeatRequest(platformAdmin, request.id, "Granted too")]);
  expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  expect(refused.reason).toBeInstanceOf(SeatRequestHandledError);
  const toLead = await handle.db.select().from(emailOutbox).where(and(eq(emailOutbox.recipient, lead.email), eq(emailOutbox.kind, "seat-request-handled")));
  expect(toLead).toHaveLength(1);
});

import { and, eq, sql } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { auditEvents, certificates, emailOutbox, enrolments, user } from "#db/schema/index.ts";
import {
  listLearnerCertificates,
  reinstateCertificate,
  revokeCertificate,
  sendCertificateExpiryReminders,
  verifyCertificate,
} from "#app/models/learning/certificate.server.ts";
import { findEnrolment, startModule } from "#app/models/learning/enrolment.server.ts";
import { CERTIFICATE_CODE_ALPHABET, generateCertificateCode } from "#app/utils/certificate-code.ts";
import type { SessionUser } from "#app/services/session.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const SLUG = "sample-basics";

async function certificateOf(userId: string) {
  const [row] = await handle.db.select().from(certificates).where(eq(certificates.userId, userId));
  return row!;
}

async function adminUser(): Promise<SessionUser> {
  const admin = await createUser({ role: "admin", name: "Ada Admin" });
  return { id: admin.id, name: admin.name, email: admin.email, role: "admin", emailVerified: true };
}

test("completing a module issues one certificate stating what was taken, as it was", async () => {
  const learner = await createUser({ name: "Gwenllïan Ŵyn" });
  await completeModule(learner.id, SLUG);
  const cert = await certificateOf(learner.id);
  const enrolment = await findEnrolment(learner.id, SLUG);
  expect(cert).toMatchObject({
    learnerName: "Gwenllïan Ŵyn",
    moduleTitle: "Sample basics",
    moduleVersion: 1,
    organisationName: null,
    cpdMinutes: 10,
    scorePercent: 100,
    enrolmentId: enrolment!.id,
    moduleVersionId: enrolment!.moduleVersionId,
  });
  expect(cert.code).toMatch(new RegExp(`^[${CERTIFICATE_CODE_ALPHABET}]{11}$`));
  // Valid for the module's 12 months from completion.
  const expected = new Date(enrolment!.completedAt!);
  expected.setUTCMonth(expected.getUTCMonth() + 12);
  expect(Math.abs(cert.expiresAt!.getTime() - expected.getTime())).toBeLessThan(3 * 24 * 3600_000);
  // The name as issued stays, whatever the account says later.
  await handle.db.update(user).set({ name: "Someone Else" }).where(eq(user.id, learner.id));
  const verified = await verifyCertificate(cert.code);
  expect(verified).toMatchObject({ kind: "found", learnerName: "Gwenllïan Ŵyn", status: "valid" });
  const all = await handle.db.select({ id: certificates.id }).from(certificates).where(eq(certificates.userId, learner.id));
  expect(all).toHaveLength(1);
});

test("verification tells a typing error from an unknown code, and shows expired and revoked", async () => {
  const learner = await createUser();
  await completeModule(learner.id, SLUG);
  const cert = await certificateOf(learner.id);
  const formatted = `${cert.code.slice(0, 4)}-${cert.code.slice(4, 8)}-${cert.code.slice(8)}`;
  expect(await verifyCertificate(formatted.toLowerCase())).toMatchObject({ kind: "found", status: "valid" });
  // One character changed: the check character catches it.
  const swapped = cert.code[0] === "A" ? `B${cert.code.slice(1)}` : `A${cert.code.slice(1)}`;
  expect(await verifyCertificate(swapped)).toEqual({ kind: "typo" });
  expect(await verifyCertificate("hello")).toEqual({ kind: "malformed" });
  let unknown = generateCertificateCode();
  while (unknown === cert.code) unknown = generateCertificateCode();
  expect(await verifyCertificate(unknown)).toMatchObject({ kind: "unknown" });

  await handle.db.update(certificates).set({ expiresAt: sql`now() - interval '1 day'` }).where(eq(certificates.id, cert.id));
  expect(await verifyCertificate(cert.code)).toMatchObject({ kind: "found", status: "expired" });

  const admin = await adminUser();
  await revokeCertificate(admin, cert.code, "Issued to the wrong person");
  const revoked = await verifyCertificate(cert.code);
  expect(revoked).toMatchObject({ kind: "found", status: "revoked" });
  // Nothing personal beyond the name, module and dates; not the reason.
  expect(JSON.stringify(revoked)).not.toContain("wrong person");
  expect(JSON.stringify(revoked)).not.toContain(learner.email);
});

test("revoking and reinstating are audited with who and why, and the record stays", async () => {
  const learner = await createUser();
  await completeModule(learner.id, SLUG);
  const cert = await certificateOf(learner.id);
  const admin = await adminUser();
  await revokeCertificate(admin, cert.code, "Assessment taken by someone else");
  await revokeCertificate(admin, cert.code, "Twice");
  expect((await certificateOf(learner.id)).revokedReason).toBe("Assessment taken by someone else");
  await reinstateCertificate(admin, cert.code, "Investigation found no wrongdoing");
  expect((await certificateOf(learner.id)).revokedAt).toBeNull();
  const events = await handle.db
    .select({ action: auditEvents.action, actorId: auditEvents.actorId, details: auditEvents.details })
    .from(auditEvents)
    .where(eq(auditEvents.targetId, cert.code))
    .orderBy(auditEvents.id);
  expect(events).toEqual([
    { action: "certificate.revoked", actorId: admin.id, details: { reason: "Assessment taken by someone else" } },
    {
      action: "certificate.reinstated",
      actorId: admin.id,
      details: { reason: "Investigation found no wrongdoing", previousRevocationReason: "Assessment taken by someone else" },
    },
  ]);
});

test("expiry reminders go 30 and 7 days before and on expiry, once each however often the job runs", async () => {
  const learner = await createUser();
  await completeModule(learner.id, SLUG);
  const cert = await certificateOf(learner.id);
  const mails = async () =>
    handle.db.select({ kind: emailOutbox.kind }).from(emailOutbox).where(eq(emailOutbox.recipient, learner.email));
  const setExpiry = (days: number) =>
    handle.db.update(certificates).set({ expiresAt: new Date(Date.now() + days * 24 * 3600_000) }).where(eq(certificates.id, cert.id));

  await setExpiry(40);
  await sendCertificateExpiryReminders();
  expect((await mails()).filter((m) => m.kind.startsWith("certificate-expiry"))).toEqual([]);

  await setExpiry(25);
  await Promise.all([sendCertificateExpiryReminders(), sendCertificateExpiryReminders()]);
  await sendCertificateExpiryReminders();
  await setExpiry(6);
  await sendCertificateExpiryReminders();
  await sendCertificateExpiryReminders();
  await setExpiry(-1);
  await sendCertificateExpiryReminders();
  await sendCertificateExpiryReminders();
  const kinds = (await mails()).map((m) => m.kind).filter((k) => k.startsWith("certificate-expiry")).sort();
  expect(kinds).toEqual(["certificate-expiry-30d", "certificate-expiry-7d", "certificate-expiry-expired"]);
});

test("renewing starts the current version; the new certificate joins the old one, which stays in history and gets no reminders", async () => {
  const learner = await createUser();
  await completeModule(learner.id, SLUG);
  const first = await certificateOf(learner.id);
  await handle.db.update(certificates).set({ expiresAt: sql`now() - interval '2 days'` }).where(eq(certificates.id, first.id));
  expect((await listLearnerCertificates(learner.id))[0]).toMatchObject({ status: "expired", superseded: false });

  await startModule({ userId: learner.id, slug: SLUG });
  expect((await listLearnerCertificates(learner.id))[0]).toMatchObject({ recertifying: true });
  await completeModule(learner.id, SLUG);
  const list = await listLearnerCertificates(learner.id);
  expect(list).toHaveLength(2);
  expect(list[0]).toMatchObject({ status: "valid", superseded: false });
  expect(list[1]).toMatchObject({ code: first.code, status: "expired", superseded: true });
  const enrolled = await handle.db.select({ id: enrolments.id }).from(enrolments).where(eq(enrolments.userId, learner.id));
  expect(enrolled).toHaveLength(2);

  vi.spyOn(console, "log").mockImplementation(() => undefined);
  await sendCertificateExpiryReminders();
  vi.restoreAllMocks();
  const reminders = await handle.db
    .select({ kind: emailOutbox.kind })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, learner.email), sql`${emailOutbox.kind} like 'certificate-expiry%'`));
  expect(reminders).toEqual([]);
});

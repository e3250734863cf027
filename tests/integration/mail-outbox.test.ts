import net from "node:net";
import { and, count, eq, sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { expect, test } from "vitest";
import { emailOutbox } from "#db/schema/index.ts";
import { drainOutbox, enqueueEmail, MAIL_PRIORITY } from "#app/models/platform/email.server.ts";
import { openTestDatabase } from "./database.ts";

/** A free loopback port for the mail server, found before the app reads SMTP_URL. */
const port = await new Promise<number>((resolve) => {
  const probe = net.createServer().listen(0, "127.0.0.1", () => {
    const address = probe.address();
    probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
  });
});
process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;

const handle = await openTestDatabase();

/** A real SMTP server on loopback that records each delivery's recipients. */
function startMailServer(deliveries: string[]): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        for (const to of session.envelope.rcptTo) deliveries.push(to.address);
        callback();
      });
    },
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
const stopMailServer = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

const statusOf = async (id: string) => (await handle.db.select({ status: emailOutbox.status, attempts: emailOutbox.attempts }).from(emailOutbox).where(eq(emailOutbox.id, id)))[0]!;

test("with 44,500 bulk mails queued, a new sign-up's verification mail goes out in the next drain", async () => {
  const deliveries: string[] = [];
  const server = await startMailServer(deliveries);
  try {
    await handle.db.execute(sql`
      insert into ${emailOutbox} (id, recipient, subject, text, kind, priority)
      select gen_random_uuid()::text, 'officer.' || n || '@force.example.org', 'You are invited', 'Join us', 'invitation', ${MAIL_PRIORITY.bulk}
      from generate_series(1, 44500) n`);
    const id = await enqueueEmail(handle.db, { to: "new.signup@example.org", subject: "Confirm your email address", text: "Follow the link", kind: "verify-email" });

    const result = await drainOutbox({ limit: 50 });

    expect(result).toMatchObject({ sent: 50, failed: 0, deferred: false });
    expect(await statusOf(id)).toEqual({ status: "sent", attempts: 1 });
    expect(deliveries[0]).toBe("new.signup@example.org");
    const pending = await handle.db.select({ n: count() }).from(emailOutbox).where(and(eq(emailOutbox.status, "pending"), eq(emailOutbox.priority, MAIL_PRIORITY.bulk)));
    expect(pending[0]!.n).toBe(44_451);
  } finally {
    await stopMailServer(server);
    await handle.db.delete(emailOutbox).where(eq(emailOutbox.status, "pending"));
  }
});

test("the mail server unreachable for 5 minutes: nothing is lost or given up, and every mail goes once after it returns", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(await enqueueEmail(handle.db, { to: `learner.${i}@example.org`, subject: `Mail ${i}`, text: "Hello", kind: "reset-password" }));
  const t0 = Date.now();
  // Nothing listens on the port: every connection is refused. The job runs every 15 s for 5 minutes.
  const outage = [];
  for (let s = 0; s <= 300; s += 15) outage.push(await drainOutbox({ now: new Date(t0 + s * 1000) }));
  expect(outage.map((r) => r.sent + r.failed + r.retried)).toEqual(outage.map(() => 0));
  expect(outage.every((r) => r.deferred)).toBe(true);
  for (const id of ids) expect(await statusOf(id)).toEqual({ status: "pending", attempts: 0 });

  const deliveries: string[] = [];
  const server = await startMailServer(deliveries);
  try {
    // The server is back at 300 s; the backoff (at most 2 minutes) lets the next drain try within 2 minutes.
    const after = [];
    for (let s = 315; s <= 420; s += 15) after.push(await drainOutbox({ now: new Date(t0 + s * 1000) }));
    expect(after.reduce((n, r) => n + r.sent, 0)).toBe(20);
    expect(deliveries.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `learner.${i}@example.org`).sort());
    for (const id of ids) expect(await statusOf(id)).toEqual({ status: "sent", attempts: 1 });
  } finally {
    await stopMailServer(server);
  }
});

test("a mail the server refuses follows its own retries, and the mails behind it still go", async () => {
  const deliveries: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("nobody")) callback(Object.assign(new Error("No such mailbox"), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        for (const to of session.envelope.rcptTo) deliveries.push(to.address);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  try {
    const refused = await enqueueEmail(handle.db, { to: "nobody@example.org", subject: "Reset", text: "Link", kind: "reset-password" });
    const fine = await enqueueEmail(handle.db, { to: "somebody@example.org", subject: "Reset", text: "Link", kind: "reset-password" });
    const result = await drainOutbox({ now: new Date(Date.now() + 3_600_000) });
    expect(result).toMatchObject({ sent: 1, retried: 1, deferred: false });
    expect(await statusOf(refused)).toEqual({ status: "pending", attempts: 1 });
    expect(await statusOf(fine)).toEqual({ status: "sent", attempts: 1 });
    expect(deliveries).toEqual(["somebody@example.org"]);
  } finally {
    await stopMailServer(server);
  }
});

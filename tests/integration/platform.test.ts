import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { emailOutbox, user } from "#db/schema/index.ts";
import { acquireDataDirLock, DataDirLockedError } from "#db/lock.ts";
import { migrateDatabase, openDatabase } from "#db/client.ts";
import { createFirstAdmin, ensureSetupToken, hasPlatformAdmin, SetupError } from "#app/services/setup.server.ts";
import { drainOutbox, enqueueEmail } from "#app/models/platform/email.server.ts";
import { hitRateLimit } from "#app/models/platform/rate-limit.server.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();

test("without SMTP a queued mail is kept as 'logged' and printed, once, however many drains run", async () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const id = await enqueueEmail(handle.db, { to: "a@example.org", subject: "Hello", text: "Body https://x", kind: "invitation" });
  const results = await Promise.all([drainOutbox(), drainOutbox(), drainOutbox()]);
  log.mockRestore();
  expect(results.reduce((n, r) => n + r.logged, 0)).toBe(1);
  const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  expect(row).toMatchObject({ status: "logged", attempts: 1 });
});

test("a mail queued just before a drain goes in that drain, even where this instance's clock is behind the database's", async () => {
  // The outbox stamps a mail due at the database's now(); an instance whose
  // clock runs a minute behind (or the same millisecond, truncated) must still
  // find it due. Plant a drain that compares with this process's clock and
  // this fails against PostgreSQL (CI's second run); embedded PGlite reads
  // its clock from this process, so there the two clocks cannot differ.
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() - 60_000);
  try {
    const id = await enqueueEmail(handle.db, { to: "skew@example.org", subject: "Now", text: "x", kind: "invitation" });
    const result = await drainOutbox();
    expect(result.logged).toBe(1);
    const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
    expect(row!.status).toBe("logged");
  } finally {
    vi.useRealTimers();
    log.mockRestore();
  }
});

test("with no SMTP server listening, the mail waits (not charged an attempt) with the error kept, and the drain backs off", async () => {
  // A port nobody listens on.
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${port}`);
  vi.resetModules();
  const email = await import("#app/models/platform/email.server.ts");
  const env = await import("#app/services/env.server.ts");
  expect(env.getEnv().SMTP_URL).toContain(String(port));
  const id = await email.enqueueEmail(handle.db, { to: "b@example.org", subject: "Retry me", text: "x", kind: "invitation" });
  const result = await email.drainOutbox();
  vi.unstubAllEnvs();
  // A server that does not answer is an outage, not this mail's fault (ADR 019).
  expect(result).toEqual({ sent: 0, logged: 0, retried: 0, failed: 0, deferred: true });
  const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  expect(row!.status).toBe("pending");
  expect(row!.attempts).toBe(0);
  expect(row!.lastError).toMatch(/ECONNREFUSED/);
  // Within the back-off, the next drain does not try at all.
  expect(await email.drainOutbox()).toEqual({ sent: 0, logged: 0, retried: 0, failed: 0, deferred: true });
  // Clean up: the next test counts what one drain sends.
  await handle.db.delete(emailOutbox).where(eq(emailOutbox.id, id));
});

/** A minimal SMTP server that accepts every mail and keeps the raw message. */
async function smtpSink() {
  const messages: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = "";
    let inData = false;
    socket.write("220 sink ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          messages.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write("250 OK\r\n");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 sink\r\n");
        else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 OK\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test("a queued attachment is sent with the mail, as a named file with its exact bytes", async () => {
  const sink = await smtpSink();
  vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${sink.port}`);
  vi.resetModules();
  const email = await import("#app/models/platform/email.server.ts");
  const csv = "\uFEFF\"Name\"\r\n\"Zoë O'Brien, \"\"Zed\"\"\"\r\n";
  const id = await email.enqueueEmail(handle.db, {
    to: "lead@example.org",
    subject: "Weekly report",
    text: "Attached.",
    kind: "invitation",
    attachments: [{ filename: "report.csv", contentType: "text/csv; charset=utf-8", content: Buffer.from(csv, "utf8").toString("base64") }],
  });
  const result = await email.drainOutbox();
  vi.unstubAllEnvs();
  await sink.close();
  expect(result.sent).toBe(1);
  const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  expect(row!.status).toBe("sent");
  expect(sink.messages).toHaveLength(1);
  const raw = sink.messages[0]!;
  expect(raw).toMatch(/Content-Disposition: attachment; filename=report\.csv/);
  const part = raw.split(/Content-Disposition: attachment; filename=report\.csv\r\n\r\n/)[1]!.split("\r\n--")[0]!;
  expect(Buffer.from(part.replace(/\r\n/g, ""), "base64").toString("utf8")).toBe(csv);
});

test("the rate limit allows N attempts per window per key, then refuses with a retry time", async () => {
  const key = `test:${Math.random()}`;
  const results = [];
  for (let i = 0; i < 4; i++) results.push(await hitRateLimit(key, 3, 60));
  expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
  expect(results[3]!.retryAfterSeconds).toBeGreaterThan(0);
  expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect((await hitRateLimit(`${key}:other`, 3, 60)).allowed).toBe(true);
});

test("the first admin is created once from the one-time setup token", async () => {
  const info = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const url = await ensureSetupToken("http://localhost:3999");
  info.mockRestore();
  expect(url).toMatch(/^http:\/\/localhost:3999\/setup\?token=/);
  const token = new URL(url!).searchParams.get("token")!;
  await expect(createFirstAdmin({ token: "wrong", name: "A", email: "a1@example.org", password: "three random words" })).rejects.toBeInstanceOf(SetupError);
  const admin = await createFirstAdmin({ token, name: "Ada Admin", email: "Ada@Example.org", password: "three random words" });
  expect(await hasPlatformAdmin()).toBe(true);
  const [row] = await handle.db.select({ role: user.role, verified: user.emailVerified, email: user.email }).from(user).where(eq(user.id, admin.id));
  expect(row).toEqual({ role: "admin", verified: true, email: "ada@example.org" });
  await expect(createFirstAdmin({ token, name: "B", email: "b2@example.org", password: "three random words" })).rejects.toBeInstanceOf(SetupError);
  expect(await ensureSetupToken("http://localhost:3999")).toBeNull();
});

test("the embedded database's lock refuses a second holder and takes over a stale lock", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-lock-"));
  const lock = acquireDataDirLock(dir, "first");
  expect(() => acquireDataDirLock(dir, "second")).toThrow(DataDirLockedError);
  lock.release();
  // A lock left by a process that no longer exists is stale.
  fs.writeFileSync(path.join(dir, "embedded-db.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), owner: "dead", since: "then" }));
  const again = acquireDataDirLock(dir, "third");
  again.release();
});

test("progress survives a restart of the embedded database", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-restart-"));
  const first = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  await migrateDatabase(first);
  await enqueueEmail(first.db, { to: "kept@example.org", subject: "Kept", text: "x", kind: "invitation" });
  await first.close();
  const second = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  const rows = await second.db.select({ to: emailOutbox.recipient }).from(emailOutbox);
  await second.close();
  expect(rows).toEqual([{ to: "kept@example.org" }]);
});

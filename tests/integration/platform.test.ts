import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { emailOutbox, user } from "#db/schema/index.ts";
import { acquireDataDirLock, DataDirLockedError } from "#db/lock.ts";
import { migrateDatabase, openDatabase } from "#db/client.ts";
import { createFirstAdmin, ensureSetupToken, hasPlatformAdmin, SetupError } from "#app/models/setup.server.ts";
import { drainOutbox, enqueueEmail } from "#app/utils/email.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();

test("without SMTP a queued mail is kept as 'logged' and printed, once, however many drains run", async () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const id = await enqueueEmail(handle.db, { to: "a@example.org", subject: "Hello", text: "Body https://x", kind: "test" });
  const results = await Promise.all([drainOutbox(), drainOutbox(), drainOutbox()]);
  log.mockRestore();
  expect(results.reduce((n, r) => n + r.logged, 0)).toBe(1);
  const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  expect(row).toMatchObject({ status: "logged", attempts: 1 });
});

test("with an SMTP server that refuses, the mail is retried later with the error kept", async () => {
  // A port nobody listens on.
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${port}`);
  vi.resetModules();
  const email = await import("#app/utils/email.server.ts");
  const env = await import("#app/utils/env.server.ts");
  expect(env.getEnv().SMTP_URL).toContain(String(port));
  const warn = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const id = await email.enqueueEmail(handle.db, { to: "b@example.org", subject: "Retry me", text: "x", kind: "test" });
  const result = await email.drainOutbox();
  warn.mockRestore();
  vi.unstubAllEnvs();
  expect(result.retried).toBe(1);
  const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  expect(row!.status).toBe("pending");
  expect(row!.attempts).toBe(1);
  expect(row!.lastError).toBeTruthy();
  expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
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
  await enqueueEmail(first.db, { to: "kept@example.org", subject: "Kept", text: "x", kind: "test" });
  await first.close();
  const second = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  const rows = await second.db.select({ to: emailOutbox.recipient }).from(emailOutbox);
  await second.close();
  expect(rows).toEqual([{ to: "kept@example.org" }]);
});

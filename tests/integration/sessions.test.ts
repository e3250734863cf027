import { and, desc, eq } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { emailOutbox, user } from "#db/schema/index.ts";
import { getAuth } from "#app/services/auth.server.ts";
import { SESSION_LIVE_CHECK_MS } from "#app/models/platform/sessions.server.ts";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";

const learning = (cookie: string) => app(new Request(`${ORIGIN}/learning`, { headers: { Cookie: cookie } }));

function postForm(pathname: string, fields: Record<string, string>, cookie?: string) {
  return app(
    new Request(`${ORIGIN}${pathname}`, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) },
    }),
  );
}

test("a password reset ends every session at the next request, though their cookies are still within the cookie cache's life", async () => {
  const person = await createUser({ name: "Shared Pc" });
  const onStationPc = await sessionCookie(person);
  const onPhone = await sessionCookie(person);
  expect((await learning(onStationPc)).status).toBe(200);
  expect((await learning(onPhone)).status).toBe(200);

  expect((await postForm("/forgot-password", { email: person.email })).status).toBeLessThan(400);
  const [mail] = await handle.db
    .select({ text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, person.email), eq(emailOutbox.kind, "reset-password")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const token = /reset-password\?token=([^\s"&]+)/.exec(mail?.text ?? "")?.[1];
  expect(token).toBeDefined();
  const reset = await postForm("/reset-password", { token: decodeURIComponent(token!), password: "a brand new passphrase", confirmPassword: "a brand new passphrase" });
  expect(reset.status).toBe(302);
  expect(reset.headers.get("location")).toBe("/login?notice=reset");

  for (const cookie of [onStationPc, onPhone]) {
    const after = await learning(cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/login?redirectTo=%2Flearning");
  }
  expect((await learning(await sessionCookie({ email: person.email, password: "a brand new passphrase" }))).status).toBe(200);
});

test("changing a password ends every other session at the next request, even when the caller did not ask", async () => {
  const person = await createUser({ name: "Two Devices" });
  const other = await sessionCookie(person);
  const current = await sessionCookie(person);
  expect((await learning(other)).status).toBe(200);
  const { headers } = await getAuth().api.changePassword({
    body: { currentPassword: person.password, newPassword: "my next passphrase" },
    headers: new Headers({ Cookie: current }),
    returnHeaders: true,
  });
  expect((await learning(other)).status).toBe(302);
  // The device that changed it carries on with the new session it was given.
  const renewed = headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  expect((await learning(renewed)).status).toBe(200);
});

/**
 * Moves this process's clock (Date only; timers and the database keep real
 * time) past the live-check bound: what another instance, or a change made
 * straight in the database, waits for at most (docs/decisions/027).
 */
function afterTheBound() {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + SESSION_LIVE_CHECK_MS + 1);
}

test("the live-check bound is 5 seconds (ADR 027, README)", () => {
  expect(SESSION_LIVE_CHECK_MS).toBe(5000);
});

test("a ban made straight in the database (or by another instance) ends the person's sessions within the live-check bound", async () => {
  const person = await createUser({ name: "To Be Banned" });
  const cookie = await sessionCookie(person);
  expect((await learning(cookie)).status).toBe(200);
  await handle.db.update(user).set({ banned: true }).where(eq(user.id, person.id));
  try {
    afterTheBound();
    expect((await learning(cookie)).status).toBe(302);
  } finally {
    vi.useRealTimers();
  }
});

test("a ban through better-auth ends the person's sessions at the next request", async () => {
  const person = await createUser({ name: "Banned At Once" });
  const cookie = await sessionCookie(person);
  expect((await learning(cookie)).status).toBe(200);
  const context = await getAuth().$context;
  await context.internalAdapter.updateUser(person.id, { banned: true });
  expect((await learning(cookie)).status).toBe(302);
});

test("a platform role given or taken away applies within the live-check bound, not when the cookie cache expires", async () => {
  const person = await createUser({ name: "Soon An Author" });
  const cookie = await sessionCookie(person);
  const admin = () => app(new Request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } }));
  expect((await admin()).status).toBe(403);
  try {
    await handle.db.update(user).set({ role: "author" }).where(eq(user.id, person.id));
    afterTheBound();
    expect((await admin()).status).toBe(200);
    await handle.db.update(user).set({ role: "user" }).where(eq(user.id, person.id));
    afterTheBound();
    expect((await admin()).status).toBe(403);
  } finally {
    vi.useRealTimers();
  }
});

test("signing out ends the session at once, though its cookies are still within the cookie cache's life", async () => {
  const person = await createUser({ name: "Signs Out" });
  const cookie = await sessionCookie(person);
  expect((await learning(cookie)).status).toBe(200);
  const out = await postForm("/logout", {}, cookie);
  expect(out.status).toBe(302);
  expect((await learning(cookie)).status).toBe(302);
});

test("a signed-in page reads the session from the signed cookie cache: no call to better-auth's getSession and its database read", async () => {
  const person = await createUser({ name: "Cookie Reader" });
  const cookie = await sessionCookie(person);
  const getSession = vi.spyOn(getAuth().api, "getSession");
  try {
    expect((await learning(cookie)).status).toBe(200);
    expect((await learning(cookie)).status).toBe(200);
    expect(getSession).toHaveBeenCalledTimes(0);
    // Without the cookie cache (only the signed token), better-auth reads the database as before.
    const tokenOnly = cookie
      .split("; ")
      .filter((c) => c.includes("session_token="))
      .join("; ");
    expect((await learning(tokenOnly)).status).toBe(200);
    expect(getSession).toHaveBeenCalledTimes(1);
  } finally {
    getSession.mockRestore();
  }
});

test("a session cookie cache that is not well-formed is refused, not a 500", async () => {
  const person = await createUser({ name: "Odd Cookie" });
  const cookie = await sessionCookie(person);
  const token = cookie.split("; ").find((c) => c.includes("session_token="))!;
  // A good token with a broken cache: better-auth reads the session from the database.
  expect((await learning(`${token}; distinct.session_data=%E0%A4%A`)).status).toBe(200);
  expect((await learning(`${token}; distinct.session_data=!!!not-base64!!!`)).status).toBe(200);
  // Nothing good: not signed in.
  expect((await learning("distinct.session_token=%E0%A4%A; distinct.session_data=x")).status).toBe(302);
});

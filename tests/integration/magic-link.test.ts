import { and, desc, eq, like } from "drizzle-orm";
import { expect, test } from "vitest";
import { emailOutbox, verification } from "#db/schema/index.ts";
import { createUser, uniqueEmail } from "#tests/factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";

function postForm(pathname: string, fields: Record<string, string>) {
  return app(new Request(`${ORIGIN}${pathname}`, { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN } }));
}

async function mails(to: string) {
  return handle.db.select({ text: emailOutbox.text, subject: emailOutbox.subject }).from(emailOutbox).where(and(eq(emailOutbox.recipient, to), eq(emailOutbox.kind, "magic-link"))).orderBy(desc(emailOutbox.createdAt));
}

/** The token from the newest sign-in link mailed to this address, as the person reads it. */
async function linkToken(to: string): Promise<string> {
  const [mail] = await mails(to);
  const token = /\/login\/magic-link\?token=([A-Za-z0-9_%-]+)/.exec(mail?.text ?? "")?.[1];
  if (!token) throw new Error(`no sign-in link mailed to ${to}`);
  return decodeURIComponent(token);
}

test("an emailed link signs in once: the outbox carries it, the page asks for a press, a second use is refused", async () => {
  const person = await createUser({ name: "Parveen Partner" });
  const asked = await postForm("/login", { intent: "magic-link", email: person.email });
  expect(asked.status).toBe(200);
  expect(await asked.text()).toContain("we have sent it a sign-in link");
  const token = await linkToken(person.email);
  // The link's GET only shows a button (mail scanners follow links).
  const page = await app(new Request(`${ORIGIN}/login/magic-link?token=${encodeURIComponent(token)}`));
  expect(page.status).toBe(200);
  expect(page.headers.getSetCookie()).toEqual([]);
  const first = await postForm("/login/magic-link", { token });
  expect(first.status).toBe(302);
  expect(first.headers.get("location")).toBe("/learning");
  expect(first.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(true);
  const second = await postForm("/login/magic-link", { token });
  expect(second.status).toBe(400);
  expect(await second.text()).toContain("has expired or has already been used");
});

test("a link older than 15 minutes is refused", async () => {
  const person = await createUser({ name: "Olu Old" });
  await postForm("/login", { intent: "magic-link", email: person.email });
  const token = await linkToken(person.email);
  // The stored token is hashed; move every magic-link record's expiry to just past.
  const rows = await handle.db.select({ id: verification.id, expiresAt: verification.expiresAt, createdAt: verification.createdAt }).from(verification).where(like(verification.identifier, "magic-link:%"));
  const newest = rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
  expect(Math.round((newest.expiresAt.getTime() - newest.createdAt.getTime()) / 60_000)).toBe(15);
  await handle.db.update(verification).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(verification.id, newest.id));
  const late = await postForm("/login/magic-link", { token });
  expect(late.status).toBe(400);
  expect(late.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(false);
});

test("an address with no account gets the same answer and no mail; a token that was never issued is a 400", async () => {
  const nobody = uniqueEmail("nobody");
  const asked = await postForm("/login", { intent: "magic-link", email: nobody });
  expect(asked.status).toBe(200);
  expect(await asked.text()).toContain("we have sent it a sign-in link");
  expect(await mails(nobody)).toEqual([]);
  const made = await postForm("/login/magic-link", { token: "a".repeat(32) });
  expect(made.status).toBe(400);
  const empty = await postForm("/login/magic-link", {});
  expect(empty.status).toBe(400);
});

test("links are rate-limited per address: the fourth within 15 minutes is a 429 and sends nothing", async () => {
  const person = await createUser({ name: "Rita Ratelimit" });
  for (let i = 0; i < 3; i++) expect((await postForm("/login", { intent: "magic-link", email: person.email })).status).toBe(200);
  const fourth = await postForm("/login", { intent: "magic-link", email: person.email });
  expect(fourth.status).toBe(429);
  expect(await fourth.text()).toContain("Too many sign-in links for this address");
  expect((await mails(person.email)).length).toBe(3);
});

test("only asking for a link is open over HTTP: better-auth's GET verify is a 404", async () => {
  const person = await createUser({ name: "Hana Http" });
  const asked = await app(new Request(`${ORIGIN}/api/auth/sign-in/magic-link`, { method: "POST", body: JSON.stringify({ email: person.email }), headers: { "Content-Type": "application/json", Origin: ORIGIN } }));
  expect(asked.status).toBe(200);
  const token = await linkToken(person.email);
  const verify = await app(new Request(`${ORIGIN}/api/auth/magic-link/verify?token=${encodeURIComponent(token)}&callbackURL=/learning`));
  expect(verify.status).toBe(404);
});

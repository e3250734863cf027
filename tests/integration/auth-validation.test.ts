import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { user } from "#db/schema/index.ts";
import { getAuth } from "#app/services/auth.server.ts";
import { createUser, sessionCookie } from "#tests/factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";

function postJson(pathname: string, body: unknown, cookie?: string) {
  return app(
    new Request(`${ORIGIN}${pathname}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) },
    }),
  );
}

async function storedUser(email: string) {
  const [row] = await handle.db.select({ name: user.name }).from(user).where(eq(user.email, email));
  return row;
}

test("sign-up over the API obeys the form's password rules: a common password is a 400 naming the field, and nothing is created", async () => {
  const response = await postJson("/api/auth/sign-up/email", { email: "api.user@example.org", name: "Api User", password: "password123" });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code: "INVALID_PASSWORD", field: "password", message: "This password is too common: choose one that is harder to guess" });
  expect(await storedUser("api.user@example.org")).toBeUndefined();
});

test("sign-up over the API refuses a long name with markup, naming the field, and creates nothing", async () => {
  const name = `<img src=x onerror=alert(1)>${"A".repeat(300)}`;
  const response = await postJson("/api/auth/sign-up/email", { email: "long.name@example.org", name, password: "a perfectly fine passphrase" });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code: "INVALID_NAME", field: "name", message: "Name must be 100 characters or fewer" });
  const markup = await postJson("/api/auth/sign-up/email", { email: "markup@example.org", name: "<b>Bold</b>", password: "a perfectly fine passphrase" });
  expect(markup.status).toBe(400);
  expect(await markup.json()).toMatchObject({ field: "name", message: "Name must not contain < or >" });
  const nul = await postJson("/api/auth/sign-up/email", { email: "nul@example.org", name: "Nul\u0000Name", password: "a perfectly fine passphrase" });
  expect(nul.status).toBe(400);
  expect(await nul.json()).toMatchObject({ field: "name", message: "Name must not contain control characters" });
  expect(await storedUser("long.name@example.org")).toBeUndefined();
  expect(await storedUser("markup@example.org")).toBeUndefined();
});

test("names are kept normalised however they arrive: NFC, one space, trimmed", async () => {
  const response = await postJson("/api/auth/sign-up/email", { email: "zoe@example.org", name: "  Zoe\u0308 \t  O'Brien\n", password: "a perfectly fine passphrase" });
  expect(response.status).toBe(200);
  expect((await storedUser("zoe@example.org"))?.name).toBe("Zoë O'Brien");
});

test("update-user is not reachable over HTTP, and our own calls to it get the same name rules", async () => {
  const person = await createUser({ name: "Kept Name" });
  const cookie = await sessionCookie(person);
  expect((await postJson("/api/auth/update-user", { name: "x".repeat(10_000) }, cookie)).status).toBe(404);
  const refused = await getAuth()
    .api.updateUser({ body: { name: "x".repeat(10_000) }, headers: new Headers({ Cookie: cookie }) })
    .catch((error: unknown) => error);
  expect(refused).toMatchObject({ statusCode: 400, body: { code: "INVALID_NAME", field: "name" } });
  expect((await storedUser(person.email))?.name).toBe("Kept Name");
});

test("a password reset through the API obeys the password rules too", async () => {
  const refused = await getAuth()
    .api.resetPassword({ body: { token: "not-a-real-token", newPassword: "qwertyuiop" } })
    .catch((error: unknown) => error);
  expect(refused).toMatchObject({ statusCode: 400, body: { code: "INVALID_PASSWORD", field: "password" } });
});

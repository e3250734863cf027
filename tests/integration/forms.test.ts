import { expect, test } from "vitest";
import { action as forgotAction } from "#app/routes/forgot-password.tsx";
import { action as loginAction } from "#app/routes/login.tsx";
import { action as lessonAction } from "#app/routes/modules.$slug.$lesson.tsx";
import { action as resetAction } from "#app/routes/reset-password.tsx";
import { action as signupAction } from "#app/routes/signup.tsx";
import { action as verifyAction } from "#app/routes/verify-email.tsx";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

/** Calls a route action the way Remix does, with a form post. */
async function post(
  fn: (args: { request: Request; params: Record<string, string>; context: never }) => Promise<unknown>,
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; params?: Record<string, string> } = {},
) {
  const request = new Request(`http://localhost:3999${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(options.cookie ? { Cookie: options.cookie } : {}) },
  });
  try {
    return await fn({ request, params: options.params ?? {}, context: undefined as never });
  } catch (thrown) {
    return thrown;
  }
}

type Reply = { data: { result: { status?: string; error?: Record<string, string[] | null> } }; init: { status: number } | null };

function reply(value: unknown): Reply {
  expect(value).toHaveProperty("init");
  return value as Reply;
}

test("sign-up with bad input is a 400 with a message for each field, and creates nothing", async () => {
  const empty = reply(await post(signupAction, "/signup", {}));
  expect(empty.init?.status).toBe(400);
  expect(empty.data.result.error).toMatchObject({
    name: ["Enter your full name"],
    email: ["Enter your email address"],
    password: ["Enter a password"],
  });

  const bad = reply(
    await post(signupAction, "/signup", { name: "Sam", email: "not-an-email", password: "password123", confirmPassword: "different" }),
  );
  expect(bad.init?.status).toBe(400);
  expect(bad.data.result.error?.email?.[0]).toMatch(/correct format/);
  expect(bad.data.result.error?.password?.[0]).toMatch(/too common/);
  expect(bad.data.result.error?.confirmPassword).toEqual(["The passwords do not match"]);

  const short = reply(await post(signupAction, "/signup", { name: "Sam", email: "sam@example.org", password: "short", confirmPassword: "short" }));
  expect(short.data.result.error?.password?.[0]).toMatch(/at least 10 characters/);

  const bot = reply(
    await post(signupAction, "/signup", {
      name: "Bot",
      email: "bot@example.org",
      password: "three random words",
      confirmPassword: "three random words",
      website: "http://spam.example",
    }),
  );
  expect(bot.init?.status).toBe(400);
});

test("sign-in with missing fields or a wrong password is a 400 with a message", async () => {
  const empty = reply(await post(loginAction, "/login", {}));
  expect(empty.init?.status).toBe(400);
  expect(empty.data.result.error).toMatchObject({ email: ["Enter your email address"], password: ["Enter your password"] });

  const user = await createUser();
  const wrong = reply(await post(loginAction, "/login", { email: user.email, password: "not the password at all" }));
  expect(wrong.init?.status).toBe(400);
  expect(wrong.data.result.error?.[""]?.[0]).toMatch(/not right/);
});

test("sign-in redirects only to a path on this site", async () => {
  const user = await createUser();
  const result = await post(loginAction, "/login", { email: user.email, password: user.password, redirectTo: "//evil.example/steal" });
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/learning");
  expect(response.headers.getSetCookie().length).toBeGreaterThan(0);
});

test("sign-in with a dot-segment redirect (/.//host, /..//host) lands on /learning, not on the other host", async () => {
  const user = await createUser();
  for (const redirectTo of ["/.//evil.example/phish", "/..//evil.example/phish"]) {
    const result = await post(loginAction, "/login", { email: user.email, password: user.password, redirectTo });
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).headers.get("Location")).toBe("/learning");
  }
});

test("password reset and email confirmation forms reject bad input with 400", async () => {
  const forgot = reply(await post(forgotAction, "/forgot-password", { email: "nope" }));
  expect(forgot.init?.status).toBe(400);
  expect(forgot.data.result.error?.email?.[0]).toMatch(/correct format/);

  const reset = reply(await post(resetAction, "/reset-password", { token: "", password: "x", confirmPassword: "y" }));
  expect(reset.init?.status).toBe(400);
  expect(reset.data.result.error?.password?.[0]).toMatch(/at least 10/);

  const badToken = reply(
    await post(resetAction, "/reset-password", { token: "made-up", password: "three random words", confirmPassword: "three random words" }),
  );
  expect(badToken.init?.status).toBe(400);
  expect(badToken.data.result.error?.[""]?.[0]).toMatch(/expired/);

  const verify = (await post(verifyAction, "/verify-email", { token: "made-up" })) as { init: { status: number } };
  expect(verify.init.status).toBe(400);
});

test("a lesson form with an unknown intent is a 400, and an unknown lesson a 404", async () => {
  const user = await createUser();
  const cookie = await sessionCookie(user);
  const unknown = (await post(lessonAction, "/modules/sample-basics/first", { intent: "delete-everything" }, { cookie, params: { slug: "sample-basics", lesson: "first" } })) as Response;
  expect(unknown.status).toBe(400);
  const missing = (await post(lessonAction, "/modules/sample-basics/nope", { intent: "complete" }, { cookie, params: { slug: "sample-basics", lesson: "nope" } })) as Response;
  expect(missing.status).toBe(404);
});

import { expect, test } from "vitest";
import { PasswordSchema, SignupSchema } from "#app/utils/user-validation.ts";

test.each([
  ["three random words", true],
  ["correct horse battery", true],
  ["short", false],
  ["password123", false],
  ["Password123", false],
  ["aaaaaaaaaaaa", false],
  ["x".repeat(129), false],
])("password %j acceptable: %s", (password, ok) => {
  expect(PasswordSchema.safeParse(password).success).toBe(ok);
});

test("sign-up lower-cases the email and refuses a password containing it", () => {
  const parsed = SignupSchema.safeParse({ name: "Jo", email: "Jo.Bloggs@Example.org", password: "jo.bloggs rocks", confirmPassword: "jo.bloggs rocks" });
  expect(parsed.success).toBe(false);
  const ok = SignupSchema.safeParse({ name: "Jo", email: "Jo.Bloggs@Example.org", password: "three random words", confirmPassword: "three random words" });
  expect(ok.success && ok.data.email).toBe("jo.bloggs@example.org");
});

import { z } from "zod";

/**
 * Field rules with human messages, shared by the forms (client hints) and
 * the actions (the gate). Password policy after NCSC guidance: length and a
 * block-list of common choices, no composition rules.
 */

// The most common choices in breach lists, and the obvious ones for this service.
const COMMON_PASSWORDS = new Set(
  [
    "password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssw0rd", "p@ssword1",
    "123456789", "1234567890", "12345678910", "0123456789", "0987654321", "1111111111", "1234512345",
    "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t", "1qaz2wsx3edc", "zaq12wsxcvfr", "asdfghjkl1",
    "iloveyou12", "letmein123", "welcome123", "welcome1234", "sunshine12", "football12", "princess12",
    "monkey1234", "dragon1234", "baseball12", "trustno1234", "superman12", "changeme123", "administrator",
    "abcdefghij", "abcd123456", "aaaaaaaaaa", "police1234", "policeofficer", "metpolice1", "constable1",
    "distinct123", "stalking123", "training123", "summer2026", "winter2026", "autumn2026", "spring2026",
  ].map((p) => p.toLowerCase()),
);

export const NAME_MAX = 100;

/**
 * A person's name as it is kept: Unicode NFC (so "é" typed two ways is one
 * name), runs of white space (tabs, new lines) as one space, trimmed. Names
 * print on certificates and in mails, so they are one line of plain text.
 */
export function normaliseName(value: string): string {
  return value.normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * What is wrong with a normalised name, or null. The one rule for every way a
 * name arrives: the forms (through NameSchema) and better-auth's API (through
 * its database hooks, in auth.server.ts).
 */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return "Enter your full name";
  if (name.length > NAME_MAX) return `Name must be ${NAME_MAX} characters or fewer`;
  // Control characters (NUL and the like) and the bidirectional overrides that
  // can make a certificate read differently from what was typed.
  if (/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(name)) return "Name must not contain control characters";
  if (/[<>]/.test(name)) return "Name must not contain < or >";
  return null;
}

export const NameSchema = z
  .string({ error: "Enter your full name" })
  .trim()
  .min(1, "Enter your full name")
  .max(NAME_MAX, `Name must be ${NAME_MAX} characters or fewer`)
  .superRefine((value, ctx) => {
    const problem = nameProblem(normaliseName(value));
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform(normaliseName);

/**
 * The password rules beyond length, for the API's hook as well as the forms:
 * a message, or null. `email` lets the rule refuse a password built from it.
 */
export function passwordProblem(password: string, email?: string): string | null {
  const parsed = PasswordSchema.safeParse(password);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "Choose a different password";
  const local = email?.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 4 && password.toLowerCase().includes(local)) return "Password must not contain your email address";
  return null;
}

export const EmailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .min(1, "Enter your email address")
  .max(254, "Email address must be 254 characters or fewer")
  .email("Enter an email address in the correct format, like name@example.org")
  .transform((value) => value.toLowerCase());

export const PasswordSchema = z
  .string({ error: "Enter a password" })
  .min(1, "Enter a password")
  .min(10, "Password must be at least 10 characters: three random words make a good one")
  .max(128, "Password must be 128 characters or fewer")
  .refine((value) => !COMMON_PASSWORDS.has(value.toLowerCase()), {
    message: "This password is too common: choose one that is harder to guess",
  })
  .refine((value) => new Set(value).size >= 4, {
    message: "This password repeats too few characters: choose one that is harder to guess",
  });

/** For sign-in: any non-empty password is checked against the account, not the policy. */
export const CurrentPasswordSchema = z.string({ error: "Enter your password" }).min(1, "Enter your password").max(128);

/** A new password typed again, to catch a slip of the finger. */
const ConfirmPasswordSchema = z.string({ error: "Enter your password again" }).min(1, "Enter your password again");

/** The two typings of a new password must agree; the error goes on the second. */
function passwordsMatch(value: { password: string; confirmPassword: string }, ctx: z.RefinementCtx) {
  if (value.password !== value.confirmPassword) {
    ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The passwords do not match" });
  }
}

export const SignupSchema = z
  .object({
    name: NameSchema,
    email: EmailSchema,
    password: PasswordSchema,
    confirmPassword: ConfirmPasswordSchema,
  })
  .superRefine((value, ctx) => {
    passwordsMatch(value, ctx);
    const local = value.email.split("@")[0] ?? "";
    if (local.length >= 4 && value.password.toLowerCase().includes(local)) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "Password must not contain your email address" });
    }
  });

export const LoginSchema = z.object({
  email: EmailSchema,
  password: CurrentPasswordSchema,
  redirectTo: z.string().optional(),
});

export const ForgotPasswordSchema = z.object({ email: EmailSchema });

/** /login's first step (and the force-account and magic-link buttons): the address alone. */
export const LoginEmailSchema = z.object({ email: EmailSchema, redirectTo: z.string().optional() });

export const ResetPasswordSchema = z
  .object({
    token: z.string({ error: "The reset link is incomplete" }).min(1, "The reset link is incomplete"),
    password: PasswordSchema,
    confirmPassword: ConfirmPasswordSchema,
  })
  .superRefine(passwordsMatch);

export const SetupSchema = z
  .object({
    token: z.string().min(1, "The setup link is incomplete"),
    name: NameSchema,
    email: EmailSchema,
    password: PasswordSchema,
    confirmPassword: ConfirmPasswordSchema,
  })
  .superRefine(passwordsMatch);

/** The token in an email confirmation link. */
export const VerifyEmailSchema = z.object({ token: z.string().min(1).max(2000) });

import { z } from "zod";
import { DateFieldSchema } from "./date-validation.ts";
import { EmailSchema, NameSchema, PasswordSchema } from "./user-validation.ts";

/** Form schemas for organisations, people, teams and assignments, with the messages shown at each field. */

const optionalText = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().max(max, `${label} must be ${max} characters or fewer`).optional(),
  );

export const StaffNumberSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toUpperCase().replace(/\s+/g, " ") : v),
  z
    .string()
    .max(20, "Staff number must be 20 characters or fewer")
    .regex(/^[A-Z0-9][A-Z0-9/ -]*$/, "Staff number must only include letters, numbers, hyphens, slashes and spaces")
    .optional()
    .or(z.literal("").transform(() => undefined)),
);

export const PersonFieldsSchema = z.object({
  name: NameSchema,
  staffNumber: StaffNumberSchema,
  rank: optionalText(80, "Role or rank"),
  teamId: optionalText(64, "Team"),
  role: z.enum(["member", "admin"], { error: "Choose whether they are a learner or a training lead" }),
});

export const InviteSchema = PersonFieldsSchema.extend({ email: EmailSchema });

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const OrganisationSchema = z.object({
  name: z.string({ error: "Enter the organisation's name" }).trim().min(2, "Enter the organisation's name").max(120, "Name must be 120 characters or fewer"),
  slug: z
    .string({ error: "Enter a short address for the organisation" })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "The address must be lower-case letters, numbers and hyphens, like cambridgeshire-police")
    .min(2, "The address must be at least 2 characters")
    .max(60, "The address must be 60 characters or fewer"),
  domains: z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .split(/[\s,;]+/)
            .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
            .filter(Boolean)
        : [],
    // Checked as a list, not item by item: an item's error would be filed under
    // "domains[0]", which the form does not show, leaving a 400 with no message.
    z
      .array(z.string())
      .superRefine((list, ctx) => {
        const bad = list.find((d) => !DOMAIN.test(d));
        if (bad !== undefined) {
          ctx.addIssue({ code: "custom", message: `“${bad.slice(0, 60)}${bad.length > 60 ? "…" : ""}” is not an email domain: enter domains like cambs.police.uk, separated by commas or new lines` });
        }
      })
      .max(20, "Enter at most 20 domains")
      .refine((list) => new Set(list).size === list.length, "A domain is listed twice"),
  ),
  leadName: NameSchema,
  leadEmail: EmailSchema,
});

export const TeamNameSchema = z.object({
  name: z.string({ error: "Enter the team's name" }).trim().min(1, "Enter the team's name").max(80, "Team names must be 80 characters or fewer"),
});

export const TeamActionSchema = z.discriminatedUnion("intent", [
  TeamNameSchema.extend({ intent: z.literal("create") }),
  TeamNameSchema.extend({ intent: z.literal("rename"), teamId: z.string().min(1) }),
  z.object({ intent: z.literal("delete"), teamId: z.string().min(1) }),
]);

export const AssignmentSchema = z
  .object({
    module: z.string({ error: "Choose a module" }).min(1, "Choose a module"),
    target: z.enum(["organisation", "team", "people"], { error: "Choose who the module is for" }),
    teamId: z.string().optional(),
    people: z.string().optional(),
    dueType: z.enum(["date", "days", "none"], { error: "Choose when it is due" }),
    dueDate: DateFieldSchema("Due date").optional(),
    dueDays: z.coerce.number({ error: "Enter a number of days" }).int("Enter a whole number of days").min(1, "Enter at least 1 day").max(730, "Enter at most 730 days").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.target === "team" && !v.teamId) ctx.addIssue({ code: "custom", path: ["teamId"], message: "Choose a team" });
    if (v.target === "people" && !v.people?.trim()) {
      ctx.addIssue({ code: "custom", path: ["people"], message: "Enter the email addresses or staff numbers of the people, one per line" });
    }
    if (v.dueType === "date" && !v.dueDate) ctx.addIssue({ code: "custom", path: ["dueDate"], message: "Enter the due date" });
    if (v.dueType === "days" && v.dueDays === undefined) ctx.addIssue({ code: "custom", path: ["dueDays"], message: "Enter the number of days" });
  });

export const ExtensionSchema = z.object({
  intent: z.literal("extend"),
  personId: z.string({ error: "Choose the person" }).min(1, "Choose the person"),
  dueDate: DateFieldSchema("New due date"),
  reason: z.string({ error: "Enter the reason for the extension" }).trim().min(3, "Enter the reason for the extension").max(500, "The reason must be 500 characters or fewer"),
});

/** Creating an account from an invitation: the invitation link proves the email address. */
export const InvitationSignupSchema = z
  .object({
    intent: z.literal("create-account"),
    name: NameSchema,
    password: PasswordSchema,
    confirmPassword: z.string({ error: "Enter your password again" }).min(1, "Enter your password again"),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirmPassword) ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The passwords do not match" });
  });

export const PeopleFilterSchema = z.object({
  q: z.string().trim().max(200).catch(""),
  status: z.enum(["invited", "active", "left", ""]).catch(""),
  team: z.string().max(64).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export const PersonActionSchema = z.discriminatedUnion("intent", [
  PersonFieldsSchema.extend({ intent: z.literal("update") }),
  z.object({ intent: z.literal("resend") }),
  z.object({ intent: z.literal("revoke") }),
  z.object({ intent: z.literal("remove") }),
]);

export const ImportActionSchema = z.object({
  // apply-fitting: apply the rows that fit the free seats and leave the rest; reapply: check the rows left out again.
  intent: z.enum(["apply", "apply-fitting", "cancel", "reapply"], { error: "Use the Apply or Cancel button." }),
});

export const WithdrawSchema = z.object({ intent: z.literal("withdraw") });

/** Assigning a module's new version to those who completed an older one (docs/decisions/036). */
export const AssignNewVersionSchema = z.object({
  intent: z.literal("assign-version"),
  module: z.string({ error: "Choose a module" }).min(1, "Choose a module").max(100),
  version: z.coerce.number({ error: "Use the Assign button on the report" }).int().min(1, "Use the Assign button on the report"),
  dueDate: DateFieldSchema("Due date").optional(),
});

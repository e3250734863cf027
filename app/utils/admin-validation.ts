import { z } from "zod";

/** Paging and search of admin lists: anything odd in the address falls back to the first page. */
export const ListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  q: z.string().trim().max(200).catch(""),
});

export const RevokeSchema = z.object({
  intent: z.literal("revoke"),
  reason: z
    .string({ error: "Enter the reason for revoking this certificate" })
    .trim()
    .min(5, "Enter the reason for revoking this certificate (at least 5 characters)")
    .max(500, "The reason must be 500 characters or fewer"),
});

export const ReinstateSchema = z.object({
  intent: z.literal("reinstate"),
  reason: z
    .string({ error: "Enter the reason for reinstating this certificate" })
    .trim()
    .min(5, "Enter the reason for reinstating this certificate (at least 5 characters)")
    .max(500, "The reason must be 500 characters or fewer"),
});

export const CertificateAdminSchema = z.discriminatedUnion("intent", [RevokeSchema, ReinstateSchema], {
  error: "Use the Revoke or Reinstate button.",
});

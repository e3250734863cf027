import { z } from "zod";

/** Paging and search of admin lists: anything odd in the address falls back to the first page. */
export const ListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  q: z.string().trim().max(200).catch(""),
});

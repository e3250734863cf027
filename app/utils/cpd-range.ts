import { CpdRangeSchema, type CpdRange } from "./cpd-validation.ts";

export type RangeResult = { ok: true; range: CpdRange; query: string } | { ok: false; errors: { from?: string; to?: string }; values: { from: string; to: string } };

/** Reads the CPD date range from a URL's query (?from=YYYY-MM-DD&to=YYYY-MM-DD), for the page and both exports alike. */
export function readCpdRange(url: URL): RangeResult {
  const values = { from: url.searchParams.get("from") ?? "", to: url.searchParams.get("to") ?? "" };
  const parsed = CpdRangeSchema.safeParse(values);
  if (!parsed.success) {
    const errors: { from?: string; to?: string } = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "from" || field === "to") && !errors[field]) errors[field] = issue.message;
    }
    return { ok: false, errors, values };
  }
  const params = new URLSearchParams();
  if (parsed.data.from) params.set("from", parsed.data.from);
  if (parsed.data.to) params.set("to", parsed.data.to);
  const query = params.toString();
  return { ok: true, range: parsed.data, query: query ? `?${query}` : "" };
}

import { londonDate } from "./assignment-status.ts";
import { dateProblem } from "./date-validation.ts";

/**
 * The trust insight page's filter, read from the address (a GET form, so it
 * works without JavaScript and a view can be bookmarked). Pure: the loader
 * passes the module slugs that exist.
 */
export type InsightQuery = {
  /** A module slug, or null for every module. */
  module: string | null;
  /** A date (YYYY-MM-DD, England), or null for all time. */
  since: string | null;
};

export type InsightQueryResult = { ok: true; query: InsightQuery } | { ok: false; param: string; message: string };


export function parseInsightQuery(params: URLSearchParams, moduleSlugs: readonly string[], today: string = londonDate(new Date())): InsightQueryResult {
  const get = (name: string) => params.get(name)?.trim() || null;
  const module = get("module");
  if (module !== null && !moduleSlugs.includes(module)) {
    return { ok: false, param: "module", message: `The module “${module}” (parameter “module”) is not a module on this platform. Choose one from the list, or “All modules”.` };
  }
  const since = get("since");
  const problem = since === null ? null : dateProblem(since, "“Answers since” (parameter “since”)");
  if (problem) return { ok: false, param: "since", message: `${problem} (got “${since}”).` };
  if (since !== null && since > today) {
    return { ok: false, param: "since", message: `“Answers since” (parameter “since”) cannot be in the future (got ${since}).` };
  }
  return { ok: true, query: { module, since } };
}

/** The first moment of a date in England, for "answered on or after". */
export function startOfLondonDay(date: string): Date {
  const utcMidnight = new Date(`${date}T00:00:00Z`);
  // In summer time England is an hour ahead: the day began at 23:00 UTC the day before.
  const hourBefore = new Date(utcMidnight.getTime() - 3_600_000);
  return londonDate(hourBefore) === date ? hourBefore : utcMidnight;
}

import { dateProblem } from "./date-validation.ts";
import { ASSIGNMENT_STATUSES, STATUS_LABELS, type AssignmentStatus } from "./assignment-status.ts";

/**
 * The report's filters, sort and page, read from the address (the filter
 * form is a GET form, so it works without JavaScript and every view can be
 * bookmarked or e-mailed). Pure: the loader checks team and module exist.
 */
export const SORT_KEYS = ["name", "staff", "team", "module", "status", "due", "started", "completed", "score", "attempts", "expires"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SORT_LABELS: Record<SortKey, string> = {
  name: "Name",
  staff: "Staff number",
  team: "Team",
  module: "Module",
  status: "Status",
  due: "Due",
  started: "Started",
  completed: "Completed",
  score: "Score",
  attempts: "Attempts",
  expires: "Certificate expires",
};

export type ReportQuery = {
  /** A team id, "none" for people in no team, or null for everyone. */
  team: string | null;
  /** A module slug, or null for every assigned module. */
  module: string | null;
  status: AssignmentStatus | null;
  dueFrom: string | null;
  dueTo: string | null;
  includeLeft: boolean;
  sort: SortKey;
  dir: "asc" | "desc";
  page: number;
};

export const PAGE_SIZE = 50;

export type ReportQueryResult = { ok: true; query: ReportQuery } | { ok: false; param: string; message: string };

export function parseReportQuery(params: URLSearchParams): ReportQueryResult {
  const get = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value : null;
  };
  const status = get("status");
  if (status !== null && !(ASSIGNMENT_STATUSES as readonly string[]).includes(status)) {
    return { ok: false, param: "status", message: `The status “${status}” is not one of: ${ASSIGNMENT_STATUSES.map((s) => `${s} (${STATUS_LABELS[s]})`).join(", ")}.` };
  }
  const dueFrom = get("dueFrom");
  const dueTo = get("dueTo");
  for (const [param, value] of [
    ["dueFrom", dueFrom],
    ["dueTo", dueTo],
  ] as const) {
    const problem = value === null ? null : dateProblem(value, `“Due ${param === "dueFrom" ? "from" : "to"}”`);
    if (problem) return { ok: false, param, message: `${problem} (got “${value}”).` };
  }
  if (dueFrom && dueTo && dueFrom > dueTo) return { ok: false, param: "dueTo", message: "“Due to” must be on or after “Due from”." };
  const sort = get("sort") ?? "name";
  if (!(SORT_KEYS as readonly string[]).includes(sort)) return { ok: false, param: "sort", message: `The table cannot be sorted by “${sort}”. Sort by one of: ${SORT_KEYS.join(", ")}.` };
  const dir = get("dir") ?? "asc";
  if (dir !== "asc" && dir !== "desc") return { ok: false, param: "dir", message: `The sort direction must be “asc” or “desc” (got “${dir}”).` };
  const pageText = get("page") ?? "1";
  const page = /^\d{1,6}$/.test(pageText) ? Number(pageText) : NaN;
  if (!Number.isInteger(page) || page < 1) return { ok: false, param: "page", message: `The page must be a whole number from 1 (got “${pageText}”).` };
  const team = get("team");
  if (team !== null && team.length > 100) return { ok: false, param: "team", message: "That team is not in this organisation." };
  const module = get("module");
  if (module !== null && !/^[a-z0-9-]{1,100}$/.test(module)) return { ok: false, param: "module", message: `There is no module “${module.slice(0, 100)}”.` };
  const left = get("left");
  return {
    ok: true,
    query: { team, module, status: status as AssignmentStatus | null, dueFrom, dueTo, includeLeft: left === "1" || left === "on", sort: sort as SortKey, dir, page },
  };
}

const FILTERS = ["team", "module", "status", "dueFrom", "dueTo", "includeLeft"] as const;

/** The address of the same report with some of the query changed (a new filter resets the page). */
export function reportSearch(query: ReportQuery, change: Partial<ReportQuery> = {}): string {
  const refiltered = FILTERS.some((f) => f in change && change[f] !== query[f]);
  const q = { ...query, ...(refiltered ? { page: 1 } : {}), ...change };
  const params = new URLSearchParams();
  if (q.team) params.set("team", q.team);
  if (q.module) params.set("module", q.module);
  if (q.status) params.set("status", q.status);
  if (q.dueFrom) params.set("dueFrom", q.dueFrom);
  if (q.dueTo) params.set("dueTo", q.dueTo);
  if (q.includeLeft) params.set("left", "1");
  if (q.sort !== "name") params.set("sort", q.sort);
  if (q.dir !== "asc") params.set("dir", q.dir);
  if (q.page !== 1) params.set("page", String(q.page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

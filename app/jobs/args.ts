/**
 * The arguments of `npm run jobs`. `--at <date>` runs the jobs as if it were
 * that moment, to try reminders and digests on a copy of the data. It is
 * refused in production: a reminder sent "as of next month" would be spent
 * for real (each goes once), and learners would get mail about a date that
 * has not come.
 */
export type JobsArgs = { ok: true; at: Date | null } | { ok: false; message: string };

const USAGE = "Usage: npm run jobs [-- --at <date>], the date as 2026-06-01 or 2026-06-01T09:00:00Z";

export function parseJobsArgs(argv: string[], nodeEnv: string): JobsArgs {
  let at: Date | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = arg.startsWith("--at=") ? arg.slice("--at=".length) : null;
    if (arg !== "--at" && inline === null) return { ok: false, message: `Unknown argument ${arg}. ${USAGE}` };
    const value = inline ?? argv[++i];
    if (!value) return { ok: false, message: `--at needs a date. ${USAGE}` };
    // A bare date means midnight in England (where due dates are calendar days), not UTC.
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? londonMidnight(value) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
    if (!parsed || Number.isNaN(parsed.getTime())) return { ok: false, message: `--at: "${value}" is not a date. ${USAGE}` };
    at = parsed;
  }
  if (at && nodeEnv === "production") {
    return { ok: false, message: "--at is refused in production: reminders sent as of another date would be spent for real. Run it against a copy of the data." };
  }
  return { ok: true, at };
}

/** 00:00 on a calendar day in England: 23:00 UTC the day before in British Summer Time. */
function londonMidnight(date: string): Date | null {
  const utc = new Date(`${date}T00:00:00Z`);
  // 2030-02-30 and the like: not a calendar day (Date would roll it over or give up).
  if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== date) return null;
  const offset = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "shortOffset" })
    .formatToParts(utc)
    .find((p) => p.type === "timeZoneName")?.value;
  const hours = offset === "GMT+1" ? 1 : 0;
  return new Date(utc.getTime() - hours * 3600_000);
}

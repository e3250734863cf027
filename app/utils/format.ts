/** Dates and durations the way UK public-sector services write them. */
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  // hourCycle, not hour12: with hour12 Node's en-GB gives "0:20pm" at noon where browsers give "12:20pm", so a page
  // rendered between 12 and 1 failed to hydrate (React then rebuilt the document without its CSP nonce).
  hourCycle: "h12",
  timeZone: "Europe/London",
});

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "";
  return dateFormat.format(typeof value === "string" ? new Date(value) : value);
}

const shortDateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });

/** "2 Dec 2026": for dense tables. */
export function formatShortDate(value: Date | string | null | undefined): string {
  if (!value) return "";
  return shortDateFormat.format(typeof value === "string" ? new Date(value) : value);
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return "";
  return dateTimeFormat.format(typeof value === "string" ? new Date(value) : value).replace(" am", "am").replace(" pm", "pm");
}

export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const h = `${hours} hour${hours === 1 ? "" : "s"}`;
  return rest ? `${h} ${rest} minute${rest === 1 ? "" : "s"}` : h;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;
}

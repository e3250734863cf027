/** Dates and durations the way UK public-sector services write them. */
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
// hourCycle "h12", never hour12: true: V8 in Node 20 reads hour12: true for en-GB (a 24-hour locale) as h11 and writes
// 12:18pm as "0:18 pm", while Chromium writes "12:18 pm", so a page showing a time in the hours 12 and 00 failed to
// hydrate (React error 418; React then rebuilt the document without its CSP nonce, and CodeMirror's styles were
// refused). The time zone is explicit for the same reason: the server and the browser share no other.
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
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
  // ICU writes a space, or a narrow no-break space (U+202F) in newer versions, before am/pm: "12:18pm" either way.
  return dateTimeFormat.format(typeof value === "string" ? new Date(value) : value).replace(/[\s\u202f](am|pm)$/u, "$1");
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

const DEFAULT_REDIRECT = "/";

/**
 * Only same-site paths: "/learning" yes; "//evil.example", "https://evil.example",
 * "/\\evil.example" and anything with a scheme or control characters no.
 * Every `redirectTo` goes through this.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback: string = DEFAULT_REDIRECT): string {
  if (!to || typeof to !== "string") return fallback;
  const value = to.trim();
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Control characters (tabs and newlines are stripped by URL parsers) and backslashes.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, "http://distinct.invalid");
    if (url.origin !== "http://distinct.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

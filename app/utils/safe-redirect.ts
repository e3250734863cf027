const DEFAULT_REDIRECT = "/";
// Any origin works for resolving; `.invalid` can never be a real host.
const PROBE_ORIGIN = "http://distinct.invalid";

/**
 * Only same-site paths: "/learning" yes; "//evil.example", "https://evil.example",
 * "/\\evil.example", "/.//evil.example" and anything with a scheme or control
 * characters no. Every `redirectTo` goes through this.
 *
 * Why resolve rather than only look at the first characters: a browser
 * resolves the Location it is sent, and dot segments are removed before the
 * path is read. "/.//evil.example" and "/..//evil.example" start like a path
 * but resolve to the path "//evil.example"; returned as it was, the browser
 * then reads that as a protocol-relative address on another host. So the
 * value is resolved as the browser would, and what is returned is the
 * normalised path, which must itself read as a path (one "/" then something
 * that is neither "/" nor "\").
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback: string = DEFAULT_REDIRECT): string {
  if (!to || typeof to !== "string") return fallback;
  const value = to.trim();
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Control characters (URL parsers silently strip tabs and newlines, so
  // "/\t/evil" would become "//evil") and backslashes (read as "/" in paths).
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const result = `${url.pathname}${url.search}${url.hash}`;
  if (!isPlainPath(result)) return fallback;
  // Resolving the result again must land on the same origin and the same
  // address: what we return is exactly what the browser will follow.
  const again = new URL(result, PROBE_ORIGIN);
  if (again.origin !== PROBE_ORIGIN || `${again.pathname}${again.search}${again.hash}` !== result) return fallback;
  return result;
}

/** "/" alone, or "/" followed by a character that cannot start an authority. */
function isPlainPath(path: string): boolean {
  return path === "/" || /^\/[^/\\]/.test(path);
}

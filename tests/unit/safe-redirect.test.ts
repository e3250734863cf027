import fc from "fast-check";
import { expect, test } from "vitest";
import { safeRedirect } from "#app/utils/safe-redirect.ts";

test.each([
  ["/learning", "/learning"],
  ["/modules/recognising-stalking?x=1#top", "/modules/recognising-stalking?x=1#top"],
  ["//evil.example", "/"],
  ["https://evil.example/learning", "/"],
  ["/\\evil.example", "/"],
  ["/\tevil", "/"],
  ["javascript:alert(1)", "/"],
  ["learning", "/"],
  ["", "/"],
  [null, "/"],
  ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
])("safeRedirect(%j) is %j", (input, expected) => {
  expect(safeRedirect(input)).toBe(expected);
});

test("the fallback is used for anything unsafe", () => {
  expect(safeRedirect("//x", "/learning")).toBe("/learning");
});

// Known open-redirect payloads (from the OWASP cheat sheet, PayloadsAllTheThings'
// "Open Redirect" list and the two found in issue 14). Every one must fall back.
const unsafe = [
  // The two from the issue: dot segments that resolve to a "//host" path.
  "/.//evil.example/phish",
  "/..//evil.example/phish",
  "/././/evil.example",
  "/../..//evil.example",
  "/a/..//evil.example",
  "/%2e//evil.example",
  "/%2e%2e//evil.example",
  "/.%2e//evil.example",
  // Protocol-relative and its spellings.
  "//evil.example",
  "///evil.example",
  "////evil.example",
  "//evil.example/%2f..",
  "//evil.example@distinct.invalid",
  " //evil.example",
  "//\tevil.example",
  // Backslashes, which WHATWG URL parsing reads as "/" in http(s) paths.
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/.\\/evil.example",
  "/..\\/evil.example",
  "/%09/\\evil.example",
  // Tabs, newlines and other controls that parsers strip.
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "\t//evil.example",
  // Schemes.
  "https://evil.example",
  "http://evil.example",
  "https:evil.example",
  "http:evil.example",
  "https:/evil.example",
  "HTTPS://evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "mailto:victim@evil.example",
  // Not a path at all.
  "evil.example",
  "@evil.example",
  ".//evil.example",
  "%2f%2fevil.example",
  "%5c%5cevil.example",
  // Unicode look-alikes of "/" and "." at the start (not a path to us).
  "\uff0f\uff0fevil.example",
  "\u2215\u2215evil.example",
  "\u3002evil.example",
];

test.each(unsafe)("the payload %j falls back to /", (payload) => {
  expect(safeRedirect(payload)).toBe("/");
});

// Paths that look odd but stay on the site: encoded slashes and backslashes
// are not decoded by browsers when resolving a Location, and dots resolve
// to a path on our origin.
test.each([
  ["/%2f%2fevil.example", "/%2f%2fevil.example"],
  ["/%5c%5cevil.example", "/%5c%5cevil.example"],
  ["/%2F/evil.example", "/%2F/evil.example"],
  ["/./learning", "/learning"],
  ["/../learning", "/learning"],
  ["/modules/../learning", "/learning"],
  ["/learning?next=//evil.example", "/learning?next=//evil.example"],
  ["/learning#//evil.example", "/learning#//evil.example"],
  ["/café", "/caf%C3%A9"],
  ["/\uff0f\uff0fevil.example", "/%EF%BC%8F%EF%BC%8Fevil.example"],
  ["/learning ", "/learning"],
  ["/?a=b", "/?a=b"],
])("%j stays on the site as %j", (input, expected) => {
  expect(safeRedirect(input)).toBe(expected);
});

const ORIGIN = "https://training.example.org";

/** What every answer must satisfy, whatever came in. */
function assertStaysOnSite(result: string) {
  expect(result === "/" || /^\/[^/\\]/.test(result)).toBe(true);
  expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
  // A browser resolving it against a page deep in the site lands on our origin too.
  expect(new URL(result, `${ORIGIN}/org/alpha/people?x=1`).origin).toBe(ORIGIN);
}

test("for any string the result is a single-slash path that keeps the origin", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 60 }), (input) => {
      assertStaysOnSite(safeRedirect(input));
    }),
    { numRuns: 2000 },
  );
});

test("for strings built from the pieces of redirect attacks the result keeps the origin", () => {
  // Random strings rarely hit "/.//"; strings assembled from the pieces
  // attackers use do, in every order. Most start with "/", as a path would.
  const piece = fc.constantFrom(
    "/", "/", "//", "\\", ".", "..", "./", "../", "%2f", "%5c", "%2e", "\t", "\n", " ", "\u0000",
    "evil.example", "@", ":", "https:", "javascript:", "?", "#", "\uff0f", "learning",
  );
  const attack = fc
    .tuple(fc.constantFrom("/", "/", "/", ""), fc.array(piece, { maxLength: 6 }))
    .map(([start, parts]) => start + parts.join(""));
  fc.assert(
    fc.property(attack, (input) => {
      assertStaysOnSite(safeRedirect(input));
    }),
    { numRuns: 20_000 },
  );
});

import { expect, test } from "vitest";
import { bodyLimitFor, checkAddress, checkBody, checkContentType, checkOrigin, declaredLength } from "#app/services/request-guard.server.ts";

const FIVE_MB = 5 * 1024 * 1024;

test("each address has its body limit: forms and the auth API 64 KiB, Stripe 512 KiB, the staff list its file plus 64 KiB", () => {
  expect(bodyLimitFor("/forgot-password", FIVE_MB).bytes).toBe(65_536);
  expect(bodyLimitFor("/org/alpha/people/invite", FIVE_MB).bytes).toBe(65_536);
  expect(bodyLimitFor("/api/auth/update-user", FIVE_MB).bytes).toBe(65_536);
  expect(bodyLimitFor("/webhooks/stripe", FIVE_MB).bytes).toBe(524_288);
  expect(bodyLimitFor("/org/alpha/people/import", FIVE_MB).bytes).toBe(5_308_416);
  expect(bodyLimitFor("/org/alpha/people/import.data", FIVE_MB).bytes).toBe(5_308_416);
  // Only the upload itself: the page that applies an import is a small form.
  expect(bodyLimitFor("/org/alpha/people/import/abc", FIVE_MB).bytes).toBe(65_536);
  // A lesson image: 2 MB plus the form around it, so the page can say "too big" itself.
  expect(bodyLimitFor("/studio/images", FIVE_MB).bytes).toBe(2_162_688);
  expect(bodyLimitFor("/studio/images.data", FIVE_MB).bytes).toBe(2_162_688);
  // Other studio pages post whole lessons, question banks and module zips (2 MiB).
  expect(bodyLimitFor("/studio/images/other", FIVE_MB).bytes).toBe(2_097_152);
});

test.each([
  ["123", 123],
  [" 42 ", 42],
  [undefined, null],
  ["", null],
  ["-1", null],
  ["1e9", null],
  ["12, 12", null],
])("Content-Length %j is read as %j", (header, expected) => {
  expect(declaredLength(header)).toBe(expected);
});

test("Origin: null and other sites' posts are refused with a 403; no Origin (curl, Stripe) and GETs pass", () => {
  const app = "https://training.example.org";
  expect(checkOrigin("POST", "null", app)).toMatchObject({ status: 403, message: expect.stringContaining("Origin: null") });
  expect(checkOrigin("POST", "https://evil.example", app)).toMatchObject({ status: 403 });
  expect(checkOrigin("POST", app, app)).toBeNull();
  expect(checkOrigin("POST", undefined, app)).toBeNull();
  expect(checkOrigin("GET", "null", app)).toBeNull();
});

test("only a SAML identity provider's post to the ACS may come from another site (or Origin: null); its proof is the signed assertion", () => {
  const app = "https://training.example.org";
  expect(checkOrigin("POST", "https://login.microsoftonline.com", app, "/api/auth/sso/saml2/sp/acs/avon-and-somerset")).toBeNull();
  expect(checkOrigin("POST", "null", app, "/api/auth/sso/saml2/sp/acs/avon-and-somerset")).toBeNull();
  expect(checkOrigin("POST", "https://login.microsoftonline.com", app, "/api/auth/sso/saml2/sp/acs/a/b")).toMatchObject({ status: 403 });
  expect(checkOrigin("POST", "https://login.microsoftonline.com", app, "/api/auth/sign-in/sso")).toMatchObject({ status: 403 });
  expect(checkOrigin("POST", "https://login.microsoftonline.com", app, "/login")).toMatchObject({ status: 403 });
});

test("a page's POST must be a form; Stripe and the auth API take their own bodies", () => {
  expect(checkContentType("POST", "/login", "application/x-www-form-urlencoded")).toBeNull();
  expect(checkContentType("POST", "/login", "application/x-www-form-urlencoded; charset=UTF-8")).toBeNull();
  expect(checkContentType("POST", "/org/a/people/import", "multipart/form-data; boundary=----x")).toBeNull();
  expect(checkContentType("POST", "/login", undefined)).toMatchObject({ status: 400, message: expect.stringContaining("Content-Type was missing") });
  expect(checkContentType("POST", "/login", "application/json")).toMatchObject({ status: 400 });
  expect(checkContentType("POST", "/login", "text/plain")).toMatchObject({ status: 400 });
  // multipart without a boundary cannot be parsed either.
  expect(checkContentType("POST", "/login", "multipart/form-data")).toMatchObject({ status: 400 });
  expect(checkContentType("POST", "/webhooks/stripe", "application/json")).toBeNull();
  expect(checkContentType("POST", "/api/auth/update-user", "application/json")).toBeNull();
  expect(checkContentType("GET", "/login", undefined)).toBeNull();
});

test("NUL in the address is a 400 naming the parameter", () => {
  expect(checkAddress("/org/alpha/people?q=a%00b")).toMatchObject({ status: 400, field: "q" });
  expect(checkAddress("/admin/certificates?q=%00")).toMatchObject({ status: 400, field: "q" });
  expect(checkAddress("/org/%00/people")).toMatchObject({ status: 400, message: expect.stringContaining("NUL") });
  expect(checkAddress("/org/%E0%A4%A/people")).toMatchObject({ status: 400 });
  expect(checkAddress("/org/alpha/people?q=caf%C3%A9")).toBeNull();
});

test("NUL in a form field or in the auth API's JSON is a 400 naming the field", () => {
  const form = (s: string) => Buffer.from(s);
  expect(checkBody("/org/a/teams", "application/x-www-form-urlencoded", form("intent=create&name=Team%00A"))).toMatchObject({
    status: 400,
    field: "name",
    message: "The field “name” contains a NUL character (\\0), which no text here can hold. Remove it and try again.",
  });
  expect(checkBody("/org/a/teams", "application/x-www-form-urlencoded", form("intent=create&name=Team+A"))).toBeNull();
  expect(checkBody("/api/auth/update-user", "application/json", form('{"name":"Sam\\u0000"}'))).toMatchObject({ status: 400, field: "name" });
  expect(checkBody("/api/auth/update-user", "application/json", form('{"profile":{"names":["a","b\\u0000"]}}'))).toMatchObject({ field: "profile.names[1]" });
  expect(checkBody("/api/auth/update-user", "application/json", form('{"name":"Sam"}'))).toBeNull();
});

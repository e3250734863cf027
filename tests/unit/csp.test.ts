import { expect, test } from "vitest";
import { contentSecurityPolicy, contentSecurityPolicyFor } from "#app/services/csp.server.ts";

test("the per-request policy puts the nonce in script-src and style-src (CodeMirror's <style> in the studio carries it)", () => {
  const policy = contentSecurityPolicyFor({ production: true, formActions: ["https://checkout.stripe.com"] })("Tm9uY2VOb25jZU5vbmNlTg==");
  expect(policy).toBe(
    "default-src 'self'; script-src 'self' 'nonce-Tm9uY2VOb25jZU5vbmNlTg=='; style-src 'self' 'nonce-Tm9uY2VOb25jZU5vbmNlTg=='; img-src 'self' data:; " +
      "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' https://checkout.stripe.com; " +
      "frame-ancestors 'none'; upgrade-insecure-requests",
  );
  expect(policy).toBe(contentSecurityPolicy({ nonce: "Tm9uY2VOb25jZU5vbmNlTg==", production: true, formActions: ["https://checkout.stripe.com"] }));
});

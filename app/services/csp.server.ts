/**
 * The Content Security Policy of every document, enforced (not report-only).
 * Scripts and styles run only from our origin or with this response's nonce; no
 * inline style attributes, no eval (lessons arrive as HTML, not code), no framing.
 */
export function contentSecurityPolicy(options: { nonce: string; production: boolean; formActions?: string[] }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${options.nonce}'`],
    // Stylesheets from our origin, and a <style> carrying this response's nonce: the studio's
    // lazily loaded code editor (CodeMirror) injects its base styles that way (docs/decisions/039).
    "style-src": ["'self'", `'nonce-${options.nonce}'`],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    // A form may post only here; Stripe Checkout is reached by a redirect
    // from our own action, which Chrome also checks against form-action.
    "form-action": ["'self'", ...(options.formActions ?? [])],
    "frame-ancestors": ["'none'"],
  };
  if (options.production) directives["upgrade-insecure-requests"] = [];
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}

/**
 * The same policy as a function of the nonce, the rest joined once: a
 * document's only per-request part is its nonce.
 */
export function contentSecurityPolicyFor(options: { production: boolean; formActions?: string[] }): (nonce: string) => string {
  const SLOT = "\u0000nonce\u0000";
  // The nonce appears in more than one directive (script-src, style-src): every slot gets it.
  const parts = contentSecurityPolicy({ ...options, nonce: SLOT }).split(SLOT);
  return (nonce) => parts.join(nonce);
}

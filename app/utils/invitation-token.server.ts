import crypto from "node:crypto";

/**
 * The secret in a mailed invitation link. The invitation's id is not a
 * secret (better-auth's list endpoints and our own pages handle it), so the
 * link carries a separate random token; only its SHA-256 is stored, so a
 * database reader, an audit export or an API that returns invitation rows
 * cannot rebuild a working link. Following the link is what proves the
 * mailbox (docs/decisions/015-invitation-tokens.md).
 */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** 32 random bytes in base64url: 43 characters of [A-Za-z0-9_-]. */
export function looksLikeInvitationToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

import crypto from "node:crypto";

/**
 * Encryption at rest for configuration secrets kept in the database (an
 * identity provider's client secret). AES-256-GCM with a key from the
 * environment (SSO_ENCRYPTION_KEY, see README "Single sign-on"); the server
 * sets the key at start (app/utils/auth.server.ts). A value is stored as
 * `enc:v1:<iv>:<tag>:<ciphertext>` (base64url), so a dump of the table, a
 * backup or a replica holds no usable secret without the key.
 */
let key: Buffer | null = null;

export function setSecretBoxKey(value: Buffer): void {
  if (value.length !== 32) throw new Error("The secret box key must be 32 bytes");
  key = value;
}

function requireKey(): Buffer {
  if (!key) throw new Error("The secret box key is not set (SSO_ENCRYPTION_KEY): the server sets it when better-auth starts");
  return key;
}

const PREFIX = "enc:v1:";

export function seal(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", requireKey(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${PREFIX}${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${body.toString("base64url")}`;
}

export function open(stored: string): string {
  if (!stored.startsWith(PREFIX)) throw new Error("A sealed value was expected (enc:v1:...)");
  const [iv, tag, body] = stored.slice(PREFIX.length).split(":");
  if (!iv || !tag || body === undefined) throw new Error("A sealed value is malformed");
  const decipher = crypto.createDecipheriv("aes-256-gcm", requireKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

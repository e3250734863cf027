/**
 * Certificate codes: short, typable, unguessable, and self-checking.
 *
 * A code is 10 random characters plus 1 check character, all from Crockford's base32 alphabet
 * (digits and capitals without I, L, O and U, so nothing reads as 1 or 0 or a rude word). That is
 * 50 random bits from `crypto.getRandomValues`: guessing a code is hopeless as long as the
 * verification page stays rate limited, and the code never reveals who or what it certifies.
 *
 * The check character is the Damm algorithm over the quasigroup x∘y = 2·x + y in GF(32)
 * (field polynomial x⁵ + x² + 1). Because that operation is linear, the whole code must satisfy
 * Σ 2^(10−i)·c_i = 0 over GF(32), with a different non-zero weight at every position, and 2 has
 * order 31 in GF(32). So a typed code that passes the check is guaranteed free of:
 *   - any single wrong character (weights are non-zero);
 *   - any swap of two different characters, adjacent or not (2^k ≠ 1 for 0 < k < 31);
 *   - twin errors "aa" → "bb" and jump twin errors "aca" → "bcb" (1 + 2 and 1 + 4 are non-zero).
 * Two or more independent mistakes slip through with probability 1 in 32.
 *
 * Pure and browser-safe: no Node APIs, so the verification form can check a code as it is typed.
 */

export const CERTIFICATE_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Random characters, then one check character. */
export const CERTIFICATE_CODE_RANDOM_LENGTH = 10;
export const CERTIFICATE_CODE_LENGTH = CERTIFICATE_CODE_RANDOM_LENGTH + 1;

const VALUE_OF = new Map<string, number>([...CERTIFICATE_CODE_ALPHABET].map((char, value) => [char, value]));
// Crockford's decoding rules: the letters left out of the alphabet are read as the digits they
// resemble. U has no look-alike in the alphabet, so it stays an error (malformed).
for (const [typed, meant] of [
  ["O", "0"],
  ["I", "1"],
  ["L", "1"],
] as const) {
  VALUE_OF.set(typed, VALUE_OF.get(meant) ?? 0);
}

/** Multiply by 2 (the polynomial x) in GF(32) reduced by x⁵ + x² + 1. */
function double(value: number): number {
  const shifted = value << 1;
  return shifted & 0b100000 ? shifted ^ 0b100101 : shifted;
}

/** The Damm interim value after feeding `values` through x∘y = 2·x + y (addition in GF(2^n) is XOR). */
function interim(values: readonly number[]): number {
  let r = 0;
  for (const value of values) r = double(r) ^ value;
  return r;
}

function charAt(value: number): string {
  const char = CERTIFICATE_CODE_ALPHABET[value];
  if (char === undefined) throw new RangeError(`No certificate code character for ${value}`);
  return char;
}

/** The check character for the random part (exported for tests and for tools that mint codes). */
export function certificateCheckCharacter(randomPart: string): string {
  const values = [...randomPart].map((char) => {
    const value = VALUE_OF.get(char);
    if (value === undefined) throw new RangeError(`"${char}" is not a certificate code character`);
    return value;
  });
  // Choose c so that the final interim 2·r + c is 0; in characteristic 2, c = 2·r.
  return charAt(double(interim(values)));
}

/** A new canonical code: 11 characters, no hyphens, e.g. "7KQ4MX2P9RT". */
export function generateCertificateCode(): string {
  // 256 is a multiple of 32, so masking to 5 bits keeps every character equally likely.
  const bytes = new Uint8Array(CERTIFICATE_CODE_RANDOM_LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  const randomPart = Array.from(bytes, (byte) => charAt(byte & 31)).join("");
  return randomPart + certificateCheckCharacter(randomPart);
}

/**
 * Canonical form of what someone typed or pasted: upper case, without spaces or dashes, with
 * O read as 0 and I or L as 1. Full-width characters (from some keyboards) are folded too.
 * Returns null unless that leaves exactly 11 alphabet characters. Does not test the check character.
 */
export function normaliseCertificateCode(input: string): string | null {
  const compact = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\p{Pd}]/gu, "");
  if (compact.length !== CERTIFICATE_CODE_LENGTH) return null;
  let canonical = "";
  for (const char of compact) {
    const value = VALUE_OF.get(char);
    if (value === undefined) return null;
    canonical += charAt(value);
  }
  return canonical;
}

/** "7KQ4MX2P9RT" → "7KQ4-MX2P-9RT". Throws on something that is not a certificate code. */
export function formatCertificateCode(code: string): string {
  const canonical = normaliseCertificateCode(code);
  if (canonical === null) throw new RangeError(`Not a certificate code: ${JSON.stringify(code)}`);
  return `${canonical.slice(0, 4)}-${canonical.slice(4, 8)}-${canonical.slice(8)}`;
}

export type CertificateCodeCheck = { status: "valid"; code: string } | { status: "typo" } | { status: "malformed" };

/**
 * "valid" with the canonical code; "typo" when the shape is right but the check character fails
 * (tell the person to look again at the code); "malformed" when it cannot be a code at all.
 */
export function checkCertificateCode(input: string): CertificateCodeCheck {
  const canonical = normaliseCertificateCode(input);
  if (canonical === null) return { status: "malformed" };
  const values = [...canonical].map((char) => VALUE_OF.get(char) ?? 0);
  return interim(values) === 0 ? { status: "valid", code: canonical } : { status: "typo" };
}

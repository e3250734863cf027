import { expect, test } from "vitest";
import {
  CERTIFICATE_CODE_ALPHABET,
  CERTIFICATE_CODE_LENGTH,
  certificateCheckCharacter,
  checkCertificateCode,
  formatCertificateCode,
  generateCertificateCode,
  normaliseCertificateCode,
} from "#app/utils/certificate-code.ts";

const alphabet = [...CERTIFICATE_CODE_ALPHABET];
const randomCodes = (count: number) => Array.from({ length: count }, () => generateCertificateCode());
const replaceAt = (code: string, index: number, char: string) => code.slice(0, index) + char + code.slice(index + 1);
const swap = (code: string, i: number, j: number) => {
  const chars = [...code];
  [chars[i], chars[j]] = [chars[j] ?? "", chars[i] ?? ""];
  return chars.join("");
};

test("the alphabet has 32 distinct characters and none of I, L, O or U", () => {
  expect(new Set(alphabet).size).toBe(32);
  expect(CERTIFICATE_CODE_ALPHABET).not.toMatch(/[ILOU]/);
});

test("generated codes are 11 alphabet characters and pass their own check", () => {
  for (const code of randomCodes(500)) {
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{11}$/);
    expect(checkCertificateCode(code)).toEqual({ status: "valid", code });
  }
});

test("generated codes do not repeat and use every character about equally", () => {
  const codes = randomCodes(5000);
  expect(new Set(codes).size).toBe(codes.length);
  const counts = new Map<string, number>();
  for (const code of codes) for (const char of code.slice(0, 10)) counts.set(char, (counts.get(char) ?? 0) + 1);
  // 50,000 draws over 32 characters: expected 1,562.5 each, standard deviation about 39.
  expect(counts.size).toBe(32);
  for (const count of counts.values()) expect(Math.abs(count - 1562.5)).toBeLessThan(250);
});

test("every single wrong character is detected, in 300 random codes", () => {
  const missed: string[] = [];
  for (const code of randomCodes(300)) {
    for (let index = 0; index < CERTIFICATE_CODE_LENGTH; index++) {
      for (const char of alphabet) {
        if (char === code[index]) continue;
        if (checkCertificateCode(replaceAt(code, index, char)).status !== "typo") missed.push(`${code}: ${char} at ${index}`);
      }
    }
  }
  expect(missed).toEqual([]);
});

test("every swap of two different characters is detected, adjacent or not, in 300 random codes", () => {
  const missed: string[] = [];
  for (const code of randomCodes(300)) {
    for (let i = 0; i < CERTIFICATE_CODE_LENGTH; i++) {
      for (let j = i + 1; j < CERTIFICATE_CODE_LENGTH; j++) {
        if (code[i] === code[j]) continue;
        if (checkCertificateCode(swap(code, i, j)).status !== "typo") missed.push(`${code}: swap ${i} and ${j}`);
      }
    }
  }
  expect(missed).toEqual([]);
});

test("the guarantee holds for every code, not only the sampled ones", () => {
  // The check is linear over GF(32): whether an error is caught depends only on the characters
  // involved and their positions, never on the rest of the code. So putting every pair of values
  // at every pair of positions into one background covers all 32^10 codes.
  const background = generateCertificateCode().slice(0, 10);
  const complete = (randomPart: string) => randomPart + certificateCheckCharacter(randomPart);
  const kinds = new Set<string>();
  const problems: string[] = [];
  for (let i = 0; i < CERTIFICATE_CODE_LENGTH; i++) {
    for (let j = i + 1; j < CERTIFICATE_CODE_LENGTH; j++) {
      for (const a of alphabet) {
        for (const b of alphabet) {
          let code: string | undefined;
          if (j < 10) {
            code = complete(replaceAt(replaceAt(background, i, a), j, b));
          } else {
            // b must be the check character: adjust another random position until it is.
            const k = i === 0 ? 1 : 0;
            code = alphabet
              .map((filler) => complete(replaceAt(replaceAt(background, i, a), k, filler)))
              .find((candidate) => candidate[10] === b);
          }
          if (code === undefined) {
            problems.push(`no code with ${a} at ${i} and ${b} at ${j}`);
            continue;
          }
          if (a === b) continue;
          if (checkCertificateCode(code).status !== "valid") problems.push(`${code} should be valid`);
          if (checkCertificateCode(replaceAt(code, i, b)).status !== "typo") problems.push(`${code}: ${a} → ${b} at ${i}`);
          if (checkCertificateCode(replaceAt(code, j, a)).status !== "typo") problems.push(`${code}: ${b} → ${a} at ${j}`);
          if (checkCertificateCode(swap(code, i, j)).status !== "typo") problems.push(`${code}: swap ${i} and ${j}`);
          kinds.add(`${i},${j}`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
  expect(kinds.size).toBe((CERTIFICATE_CODE_LENGTH * (CERTIFICATE_CODE_LENGTH - 1)) / 2);
});

test("twin errors (aa → bb) next to each other or one apart are detected", () => {
  const missed: string[] = [];
  for (const code of randomCodes(100)) {
    for (let i = 0; i + 2 < CERTIFICATE_CODE_LENGTH; i++) {
      for (const gap of [1, 2]) {
        if (code[i] !== code[i + gap]) continue;
        for (const b of alphabet) {
          if (b === code[i]) continue;
          if (checkCertificateCode(replaceAt(replaceAt(code, i, b), i + gap, b)).status !== "typo")
            missed.push(`${code}: ${b}${b} at ${i}+${gap}`);
        }
      }
    }
  }
  expect(missed).toEqual([]);
});

test.each([
  ["7KQ4MX2P9RT", "7KQ4-MX2P-9RT"],
  ["7kq4-mx2p-9rt", "7KQ4-MX2P-9RT"],
  ["0000MX2P9RT", "0000-MX2P-9RT"],
])("formatCertificateCode(%s) is %s", (code, formatted) => {
  expect(formatCertificateCode(code)).toBe(formatted);
});

test("formatCertificateCode refuses something that is not a code", () => {
  expect(() => formatCertificateCode("ABC")).toThrow(/Not a certificate code/);
});

test.each([
  ["7KQ4-MX2P-9RT", "7KQ4MX2P9RT"],
  ["7kq4 mx2p 9rt", "7KQ4MX2P9RT"],
  ["  7KQ4 - MX2P - 9RT \n", "7KQ4MX2P9RT"],
  ["7KQ4–MX2P—9RT", "7KQ4MX2P9RT"], // en and em dashes pasted from a document
  ["７ＫＱ４ＭＸ２Ｐ９ＲＴ", "7KQ4MX2P9RT"], // full-width characters
  ["OOOO-IIII-LLo", "00001111110"],
  ["7KQ4MX2P9R", null], // too short
  ["7KQ4MX2P9RTT", null], // too long
  ["7KQ4MX2P9RU", null], // U is not in the alphabet
  ["7KQ4MX2P9R!", null],
  ["", null],
])("normaliseCertificateCode(%j) is %j", (input, expected) => {
  expect(normaliseCertificateCode(input)).toBe(expected);
});

test("checkCertificateCode accepts forgiving input and returns the canonical code", () => {
  const code = generateCertificateCode();
  const typed = formatCertificateCode(code).toLowerCase().replaceAll("0", "o").replaceAll("1", "l").replaceAll("-", " ");
  expect(checkCertificateCode(typed)).toEqual({ status: "valid", code });
});

test.each([
  ["7KQ4", "malformed"],
  ["not a code at all", "malformed"],
  ["7KQ4-MX2P-9RU", "malformed"],
])("checkCertificateCode(%j) is %s", (input, status) => {
  expect(checkCertificateCode(input)).toEqual({ status });
});

test("a code with one character changed is a typo, not malformed", () => {
  const code = generateCertificateCode();
  const changed = replaceAt(code, 3, code[3] === "A" ? "B" : "A");
  expect(checkCertificateCode(formatCertificateCode(changed))).toEqual({ status: "typo" });
});

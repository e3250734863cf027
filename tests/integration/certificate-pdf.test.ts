import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { afterAll, expect, test } from "vitest";
import { renderCertificatePdf, type CertificatePdfData } from "#app/models/learning/certificate-pdf.server.ts";
import { sampleCertificate as sample } from "#tests/certificate-sample.ts";

// These tests read the PDF the way people and tools will: poppler extracts the text and renders
// the page, zbar decodes the QR code from the pixels. Without them the test fails; it never skips.
const TOOLS = {
  pdftotext: "poppler-utils",
  pdftoppm: "poppler-utils",
  pdffonts: "poppler-utils",
  zbarimg: "zbar-tools",
} as const;

function run(tool: keyof typeof TOOLS, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      throw new Error(`${tool} is not installed: install ${TOOLS[tool]} (apt-get install poppler-utils zbar-tools)`);
    }
    throw error;
  }
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "certificate-pdf-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

async function writePdf(data: CertificatePdfData): Promise<{ file: string; bytes: Uint8Array }> {
  const bytes = await renderCertificatePdf(data);
  const file = path.join(workDir, `${crypto.randomUUID()}.pdf`);
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

/** pdftotext's text with ligatures unfolded, accents composed and every run of whitespace one space. */
function extractText(file: string): string {
  return run("pdftotext", ["-enc", "UTF-8", file, "-"]).normalize("NFKC").replace(/\s+/g, " ");
}

const longName = "Maximilian Alexander Fitzgerald-Montgomery-Worthington Ó Súilleabháin de la Cruz Wiśniewski Smith-Li";
const longTitle =
  "Recognising stalking, harassment and malicious communications: a practical guide for call handlers, front-counter staff and response officers in England and Wales";

test.each([
  { learnerName: "Łukasz Wiśniewski" },
  { learnerName: "Siobhán Ní Bhriain" },
  { learnerName: "Siobha\u0301n Ni\u0301 Bhriain (typed with combining accents)" },
  { learnerName: "Gwenllïan Ŵyn" },
  { learnerName: "李雷" },
  { learnerName: "Chen 陈伟" },
  { learnerName: longName, moduleTitle: longTitle, organisationName: null, expiresAt: null, scorePercent: null },
])("the certificate for $learnerName has its text, a QR code for the verify URL and embedded fonts", async (overrides) => {
  expect(longName).toHaveLength(100);
  const data = sample(overrides);
  const { file, bytes } = await writePdf(data);

  const text = extractText(file);
  expect(text).toContain(data.learnerName.normalize("NFKC"));
  expect(text).toContain(data.moduleTitle);
  expect(text).toContain("version 3");
  expect(text).toContain("8MFM-57MR-02T");
  expect(text).toContain("https://distinct.example.org/verify/8MFM-57MR-02T");
  expect(text).toContain("28 November 2026");
  expect(text).toContain(data.expiresAt ? "28 November 2029" : "Does not expire");
  expect(text).toContain("1 hour 5 minutes");
  if (data.organisationName) expect(text).toContain(data.organisationName);

  run("pdftoppm", ["-png", "-r", "150", "-singlefile", file, file.replace(/\.pdf$/, "")]);
  const decoded = run("zbarimg", ["--raw", "-q", file.replace(/\.pdf$/, ".png")]);
  expect(decoded.replace(/\n$/, "")).toBe("https://distinct.example.org/verify/8MFM-57MR-02T");

  const pdf = await PDFDocument.load(bytes);
  expect(pdf.getPageCount()).toBe(1);
  const { width, height } = pdf.getPage(0).getSize();
  expect(Math.abs(width - 842)).toBeLessThanOrEqual(1);
  expect(Math.abs(height - 595)).toBeLessThanOrEqual(1);
  expect(pdf.getTitle()).toBe("Certificate 8MFM-57MR-02T");
  expect(pdf.getAuthor()).toBe("Distinct");

  const fonts = listFonts(file);
  expect(fonts.length).toBeGreaterThanOrEqual(3);
  for (const font of fonts) expect(font, `${font.name} is embedded as a subset`).toMatchObject({ embedded: true, subset: true });
  const usesChinese = /\p{Script=Han}/u.test(data.learnerName);
  expect(fonts.some((font) => font.name.includes("NotoSansSC"))).toBe(usesChinese);
});

type FontRow = { name: string; embedded: boolean; subset: boolean; unicode: boolean };

function listFonts(file: string): FontRow[] {
  // name  type  encoding  emb sub uni  object ID
  return run("pdffonts", [file])
    .split("\n")
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const match = /^(\S+)\s.*\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(line);
      if (!match) throw new Error(`Unexpected pdffonts line: ${line}`);
      return { name: match[1] ?? "", embedded: match[2] === "yes", subset: match[3] === "yes", unicode: match[4] === "yes" };
    });
}

test("every glyph in the embedded subsets has the outline of the original font", async () => {
  // fontkit 1.1.1 once wrote subsets whose glyphs pointed at the wrong bytes: the text still
  // extracted correctly but most letters were blank on screen. Compare each outline with the source.
  const data = sample({ learnerName: "Łukasz Wiśniewski-Chen 陈伟 Ŵyn", organisationName: "Heddlu Gogledd Cymru" });
  const pdf = await PDFDocument.load(await renderCertificatePdf(data));
  const originals = await originalFontsByPostscriptName();
  const compared = new Map<string, number>();
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Subtype")) !== PDFName.of("Type0")) continue;
    const baseFont = object.lookup(PDFName.of("BaseFont"), PDFName).decodeText();
    const postscriptName = baseFont.replace(/^[A-Z]{6}\+/, "");
    const original = originals.get(postscriptName);
    expect(original, `the original of ${baseFont}`).toBeDefined();
    if (!original) continue;

    const toUnicode = streamText(object.lookup(PDFName.of("ToUnicode")));
    const descendant = object.lookup(PDFName.of("DescendantFonts"), PDFArray).lookup(0, PDFDict);
    const descriptor = descendant.lookup(PDFName.of("FontDescriptor"), PDFDict);
    const subset = fontkit.create(streamBytes(descriptor.lookup(PDFName.of("FontFile2"))));

    let count = 0;
    for (const [, cid, unicode] of toUnicode.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) {
      const codePoints = String.fromCharCode(...(unicode?.match(/.{4}/g) ?? []).map((hex) => Number.parseInt(hex, 16)));
      const chars = [...codePoints];
      if (chars.length !== 1) continue; // a ligature: its outline is not the single character's
      const expected = original.glyphForCodePoint(chars[0]?.codePointAt(0) ?? 0);
      const actual = subset.getGlyph(Number.parseInt(cid ?? "0", 16));
      expect(actual.path.toSVG(), `${postscriptName} "${chars[0]}"`).toBe(expected.path.toSVG());
      expect(actual.advanceWidth, `${postscriptName} "${chars[0]}" width`).toBe(expected.advanceWidth);
      count++;
    }
    compared.set(postscriptName, count);
  }
  expect([...compared.keys()].sort()).toEqual(
    ["NotoSans-Regular", "NotoSans-SemiBold", "NotoSansSC-Regular", "NotoSerif-Bold", "NotoSerif-Regular"].sort(),
  );
  for (const [name, count] of compared) expect(count, name).toBeGreaterThan(2);
});

test("a revoked certificate says so in words, with the date and reason, and still verifies", async () => {
  const data = sample({ revoked: { at: new Date("2027-03-03T12:00:00Z"), reason: "Issued in error." } });
  const { file } = await writePdf(data);
  const text = extractText(file);
  expect(text).toContain("REVOKED on 3 March 2027");
  expect(text).toContain("Issued in error.");
  expect(text).toContain(data.learnerName);
  run("pdftoppm", ["-png", "-r", "150", "-singlefile", file, file.replace(/\.pdf$/, "")]);
  expect(run("zbarimg", ["--raw", "-q", file.replace(/\.pdf$/, ".png")]).trim()).toBe(data.verifyUrl);
});

test("names and titles with no spaces still shrink to fit inside the border", async () => {
  const data = sample({
    learnerName: "W".repeat(100),
    moduleTitle: "M".repeat(200),
    organisationName: "O".repeat(120),
    revoked: { at: new Date("2027-03-03T12:00:00Z"), reason: "A very long reason. ".repeat(100) },
  });
  const { file } = await writePdf(data);
  // pdftotext -bbox gives every word's box in points: none may cross the inner border (26.5 pt).
  const html = run("pdftotext", ["-bbox", file, "-"]);
  const boxes = [...html.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)];
  expect(boxes.length).toBeGreaterThan(10);
  for (const [, xMin, yMin, xMax, yMax, word] of boxes) {
    expect(Number(xMin), word).toBeGreaterThan(31);
    expect(Number(xMax), word).toBeLessThan(842 - 31);
    expect(Number(yMin), word).toBeGreaterThan(31);
    expect(Number(yMax), word).toBeLessThan(595 - 31);
  }
  const text = extractText(file);
  expect(text).toContain("W".repeat(100));
  expect(text).toContain("REVOKED on 3 March 2027");
  // Cut short with an ellipsis (which NFKC turns into three dots).
  expect(text).toMatch(/Reason: (A very long reason\. )+A very\.\.\./);
});

test("a code that fails its check or a relative verify URL is refused", async () => {
  const data = sample();
  const typo = "8MFM57MR02S"; // the check character changed
  await expect(renderCertificatePdf({ ...data, code: typo })).rejects.toThrow(/typo/);
  await expect(renderCertificatePdf({ ...data, verifyUrl: "/verify/x" })).rejects.toThrow(/absolute/);
});

const require = createRequire(import.meta.url);

async function originalFontsByPostscriptName(): Promise<Map<string, fontkit.Font>> {
  const files = [
    "@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf",
    "@expo-google-fonts/noto-serif/700Bold/NotoSerif_700Bold.ttf",
    "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
    "@expo-google-fonts/noto-sans/600SemiBold/NotoSans_600SemiBold.ttf",
    "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
  ];
  const fonts = await Promise.all(files.map(async (file) => fontkit.create(await fs.promises.readFile(require.resolve(file)))));
  return new Map(fonts.map((font) => [font.postscriptName ?? "", font]));
}

function streamBytes(stream: unknown): Uint8Array {
  if (!(stream instanceof PDFRawStream)) throw new Error("Expected a stream");
  return decodePDFRawStream(stream).decode();
}

function streamText(stream: unknown): string {
  return new TextDecoder().decode(streamBytes(stream));
}

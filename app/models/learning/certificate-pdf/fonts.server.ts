import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";
import { createLogger } from "#app/services/logger.server.ts";

/**
 * Fonts for certificates: Noto Serif and Noto Sans for Latin, Greek and Cyrillic, and Noto Sans SC
 * as a per-character fallback so that Chinese (and most Japanese kanji) names print too.
 *
 * Files are resolved through Node's resolver from this module, so it works from `app/` under tsx
 * and vitest and from the bundled `build/index.js`, where node_modules stay external.
 */
const FACES = {
  serif: "@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf",
  serifBold: "@expo-google-fonts/noto-serif/700Bold/NotoSerif_700Bold.ttf",
  sans: "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
  sansSemiBold: "@expo-google-fonts/noto-sans/600SemiBold/NotoSans_600SemiBold.ttf",
  // 10.5 MB: only read when a string needs a character the Latin fonts lack.
  cjk: "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
} as const;

export type Face = keyof typeof FACES;
export type LatinFace = Exclude<Face, "cjk">;

/**
 * pdf-lib draws each glyph at its advance width and ignores the x/y offsets that GPOS features
 * compute (kerning, mark placement), so running them changes nothing on the page. Turning them off
 * makes the first layout with each font 5–7 times faster (the big GPOS kerning tables are not
 * parsed) and later ones about twice as fast. GSUB features (ligatures, ccmp) still apply.
 */
const NO_POSITIONING = { kern: false, mark: false, mkmk: false, dist: false, curs: false };

type LoadedFace = { bytes: Uint8Array; font: fontkit.Font };

const require = createRequire(import.meta.url);
const log = createLogger("certificate-pdf");
// One read and one parse per face per process. A failed read is forgotten so the next request retries.
const loadedFaces = new Map<Face, Promise<LoadedFace>>();
// pdf-lib parses the font bytes again for every document it embeds them in (26 ms for Noto Sans SC);
// handing it the font already parsed avoids that. Sharing a parsed font between documents is safe:
// fontkit reads its tables synchronously and each document keeps its own subset.
const parsedByBytes = new WeakMap<Uint8Array, fontkit.Font>();
const cachingFontkit: Parameters<PDFDocument["registerFontkit"]>[0] = {
  create: (bytes, postscriptName) => parsedByBytes.get(bytes) ?? fontkit.create(bytes, postscriptName),
};

function loadFace(face: Face): Promise<LoadedFace> {
  let loading = loadedFaces.get(face);
  if (!loading) {
    loading = readFile(require.resolve(FACES[face])).then((buffer) => {
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const font = withWorkingSubsets(fontkit.create(bytes));
      parsedByBytes.set(bytes, font);
      return { bytes, font };
    });
    loading.catch(() => loadedFaces.delete(face));
    loadedFaces.set(face, loading);
  }
  return loading;
}

/**
 * Work around a bug in @pdf-lib/fontkit 1.1.1 that drops glyphs from subsets (pdf-lib issues #494,
 * #1232): a small subset gets the short `loca` format, which stores offsets halved, but Noto's glyph
 * records have odd lengths, so every glyph after an odd one points into the wrong bytes and most
 * letters vanish on screen while the text still copies. Forcing the long format, as in the original
 * fonts, keeps offsets exact. This patches a private method: the integration test compares every
 * embedded outline with the original font and fails if a fontkit upgrade changes that method.
 */
function withWorkingSubsets(font: fontkit.Font): fontkit.Font {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    const addGlyph: unknown = Reflect.get(subset, "_addGlyph");
    if (typeof addGlyph !== "function") throw new Error("fontkit's subset has no _addGlyph: review the loca workaround");
    Reflect.set(subset, "_addGlyph", function (this: object, ...args: unknown[]): unknown {
      // TrueType subsets reset `loca` at the start of encoding, before the first glyph is added.
      const loca: unknown = Reflect.get(this, "loca");
      if (typeof loca === "object" && loca !== null) Reflect.set(loca, "version", 1);
      return Reflect.apply(addGlyph, this, args);
    });
    return subset;
  };
  return font;
}

/**
 * Read and parse the fonts now (at server start, say) rather than during the first certificate
 * request: one layout per face also parses the substitution tables fontkit reads lazily.
 */
export async function preloadCertificateFonts(options: { includeCjk?: boolean } = {}): Promise<void> {
  const faces = Object.keys(FACES).filter((face): face is Face => options.includeCjk === true || face !== "cjk");
  const loaded = await Promise.all(faces.map(loadFace));
  for (const { font } of loaded) font.layout("Certificate ffi 1 hour", NO_POSITIONING);
}

/** A piece of text that one font can draw. */
export type Run = { text: string; font: PDFFont };

/** Text split into runs by font coverage, ready to measure and draw. */
export type MixedText = { text: string; runs: Run[] };

/**
 * The fonts of one PDF document: each face is embedded (subset) the first time some text uses it.
 */
export class CertificateFonts {
  private readonly embedded = new Map<Face, Promise<PDFFont>>();

  constructor(private readonly pdf: PDFDocument) {
    pdf.registerFontkit(cachingFontkit);
  }

  private embed(face: Face): Promise<PDFFont> {
    let embedding = this.embedded.get(face);
    if (!embedding) {
      embedding = loadFace(face).then(({ bytes, font }) =>
        this.pdf.embedFont(bytes, {
          subset: true,
          // pdf-lib names fonts "NotoSans-Regular-1234"; the "ABCDEF+" tag is how PDF tools
          // (pdffonts, preflight checks) recognise an embedded subset.
          customName: `${subsetTag()}+${font.postscriptName || face}`,
          features: NO_POSITIONING,
        }),
      );
      this.embedded.set(face, embedding);
    }
    return embedding;
  }

  /**
   * Split `text` into runs: each character goes to `face` if it has a glyph, otherwise to the
   * CJK fallback, otherwise stays with `face` and shows as an empty box (logged as a warning):
   * Arabic, Hebrew, Hangul, Indic scripts and emoji need fonts we do not ship yet.
   * Combining marks and spaces stay with the run before them so accents sit on their letter.
   */
  async shape(rawText: string, face: LatinFace): Promise<MixedText> {
    const text = cleanText(rawText);
    const primary = (await loadFace(face)).font;
    let fallback: fontkit.Font | undefined;
    const pieces: { text: string; face: Face; font: fontkit.Font }[] = [];
    const missing = new Set<string>();
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      const last = pieces.at(-1);
      let chosen: { face: Face; font: fontkit.Font } = { face, font: primary };
      if (last && /[\p{M}\s]/u.test(char) && last.font.hasGlyphForCodePoint(codePoint)) {
        chosen = last;
      } else if (!primary.hasGlyphForCodePoint(codePoint)) {
        fallback ??= (await loadFace("cjk")).font;
        if (fallback.hasGlyphForCodePoint(codePoint)) chosen = { face: "cjk", font: fallback };
        else missing.add(`U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`);
      }
      if (last && last.face === chosen.face) last.text += char;
      else pieces.push({ text: char, face: chosen.face, font: chosen.font });
    }
    if (missing.size > 0) {
      // Code points only, not the text: it is usually someone's name.
      log.warn("no certificate font has these characters; they print as empty boxes", { codePoints: [...missing].join(" ") });
    }
    const runs = await Promise.all(pieces.map(async (piece) => ({ text: piece.text, font: await this.embed(piece.face) })));
    return { text, runs };
  }
}

/** One line of text, whatever the learner or an administrator typed: NFC, no controls, single spaces. */
export function cleanText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
}

function subsetTag(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => String.fromCharCode(65 + (byte % 26))).join("");
}

/** Width of mixed text at a size, plus optional letter spacing after every character but the last. */
export function widthOf(text: MixedText, size: number, letterSpacing = 0): number {
  const glyphWidth = text.runs.reduce((sum, run) => sum + run.font.widthOfTextAtSize(run.text, size), 0);
  return glyphWidth + letterSpacing * Math.max(0, [...text.text].length - 1);
}

/** Break mixed text in two at a character offset (the space there is dropped). */
export function splitAt(text: MixedText, offset: number): [MixedText, MixedText] {
  const before: Run[] = [];
  const after: Run[] = [];
  let position = 0;
  for (const run of text.runs) {
    const end = position + run.text.length;
    if (end <= offset) before.push(run);
    else if (position >= offset) after.push(run);
    else {
      before.push({ text: run.text.slice(0, offset - position), font: run.font });
      after.push({ text: run.text.slice(offset - position), font: run.font });
    }
    position = end;
  }
  return [trimRuns(before), trimRuns(after)];
}

function trimRuns(runs: Run[]): MixedText {
  const trimmed = runs.map((run) => ({ ...run }));
  const first = trimmed[0];
  if (first) first.text = first.text.trimStart();
  const last = trimmed.at(-1);
  if (last) last.text = last.text.trimEnd();
  const kept = trimmed.filter((run) => run.text.length > 0);
  return { text: kept.map((run) => run.text).join(""), runs: kept };
}

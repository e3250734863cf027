import { PDFDocument, popGraphicsState, pushGraphicsState, rgb, setCharacterSpacing, type PDFPage, type RGB } from "pdf-lib";
import {
  CertificateFonts,
  cleanText,
  splitAt,
  widthOf,
  type LatinFace,
  type MixedText,
} from "#app/models/learning/certificate-pdf/fonts.server.ts";
import type { CertificateFacts } from "#app/models/learning/certificate.server.ts";
import { qrCodePath } from "#app/models/learning/certificate-pdf/qr.server.ts";
import { checkCertificateCode, formatCertificateCode, generateCertificateCode } from "#app/utils/certificate-code.ts";
import { formatDate, formatMinutes } from "#app/utils/format.ts";
import { createLogger } from "#app/services/logger.server.ts";

export { preloadCertificateFonts } from "#app/models/learning/certificate-pdf/fonts.server.ts";

/**
 * Render and discard one certificate so the first learner does not wait for fonts to load and
 * pdf-lib's code to warm up (about 300 ms on a 2-core machine, then 30–40 ms each). Call it once
 * after the server starts listening; it logs rather than throws.
 */
export async function warmCertificateRenderer(): Promise<void> {
  const code = generateCertificateCode();
  const started = Date.now();
  await renderCertificatePdf({
    learnerName: "Warm Up",
    moduleTitle: "Warm up",
    moduleVersion: 1,
    organisationName: null,
    issuedAt: new Date(),
    expiresAt: null,
    cpdMinutes: 1,
    scorePercent: null,
    code,
    verifyUrl: `https://warm-up.invalid/verify/${code}`,
  }).then(
    // Said when done: what the server loads after it starts listening is loaded by then (tests/e2e/front-door.spec.ts
    // measures the process's memory from that point).
    () => createLogger("certificate-pdf").info("renderer warmed", { ms: Date.now() - started }),
    (error: unknown) => {
      // The first real certificate will fail the same way, loudly; at boot a warning is enough.
      createLogger("certificate-pdf").warn("warm-up failed", { error });
    },
  );
}

export type CertificatePdfData = CertificateFacts & {
  /** Canonical, without hyphens. */
  code: string;
  verifyUrl: string;
  revoked?: { at: Date; reason: string } | null;
};

// A4 landscape in points.
const PAGE = { width: 841.89, height: 595.28 };
const CENTRE_X = PAGE.width / 2;

const NAVY = hex("#13294b");
const GOLD = hex("#a8894f");
const INK = hex("#1d2430");
const MUTED = hex("#555f6d");
const WHITE = rgb(1, 1, 1);
const REVOKED_RED = hex("#a1141c");

/**
 * The certificate as an A4 landscape PDF: selectable text in embedded, subset Noto fonts, and a
 * vector QR code for `verifyUrl`. Names and titles of any reasonable length shrink (or break onto
 * a second line) to fit; nothing overflows the border.
 */
export async function renderCertificatePdf(data: CertificatePdfData): Promise<Uint8Array> {
  const checked = checkCertificateCode(data.code);
  if (checked.status !== "valid") throw new Error(`Certificate code ${JSON.stringify(data.code)} is ${checked.status}`);
  if (!/^https?:\/\/\S+$/.test(data.verifyUrl)) throw new Error(`verifyUrl must be an absolute http(s) URL: ${data.verifyUrl}`);
  if (!cleanText(data.learnerName) || !cleanText(data.moduleTitle))
    throw new Error("A certificate needs a learner name and a module title");
  const code = formatCertificateCode(checked.code);

  const pdf = await PDFDocument.create();
  const fonts = new CertificateFonts(pdf);
  const page = pdf.addPage([PAGE.width, PAGE.height]);
  const now = new Date();
  pdf.setTitle(`Certificate ${code}`, { showInWindowTitleBar: true });
  pdf.setAuthor("Distinct");
  pdf.setSubject(
    `Certificate of completion: ${cleanText(data.learnerName)}, ${cleanText(data.moduleTitle)} (version ${data.moduleVersion})`,
  );
  pdf.setKeywords(["certificate", "CPD", code]);
  pdf.setCreator("Distinct");
  pdf.setProducer("Distinct (pdf-lib)");
  pdf.setLanguage("en-GB");
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);

  const shape = (text: string, face: LatinFace) => fonts.shape(text, face);

  drawBorder(page);

  // Heading. A revoked certificate loses its title to the REVOKED band: nothing hidden under it
  // for copy and paste or a screen reader to find.
  if (data.revoked) {
    await drawRevokedBand(page, fonts, data.revoked);
  } else {
    drawCentred(page, await shape("DISTINCT", "sansSemiBold"), { y: 516, size: 9.5, color: NAVY, letterSpacing: 3.2 });
    drawCentred(page, await shape("Certificate of completion", "serifBold"), { y: 470, size: 34, color: NAVY });
    drawGoldRule(page, 450);
  }

  // The statement, centred in the space between the heading and the details.
  const name = await shape(data.learnerName, "serif");
  const moduleTitle = await shape(data.moduleTitle, "serifBold");
  const statement: FlowItem[] = [
    line(await shape("This is to certify that", "sans"), { size: 12.5, color: MUTED }),
    block(name, { gapBefore: 13, maxWidth: 640, maxSize: 36, minSingleLineSize: 24, color: NAVY }),
  ];
  if (data.organisationName) {
    statement.push(line(await shape(data.organisationName, "sans"), { gapBefore: 9, size: 12.5, maxWidth: 600, color: INK }));
  }
  statement.push(
    line(await shape("has completed", "sans"), { gapBefore: 14, size: 12.5, color: MUTED }),
    block(moduleTitle, { gapBefore: 13, maxWidth: 620, maxSize: 21, minSingleLineSize: 15, color: INK }),
    line(await shape(`version ${data.moduleVersion}`, "sans"), { gapBefore: 8, size: 11, color: MUTED }),
  );
  drawFlow(page, statement, { top: 438, bottom: 246 });

  // Details, bottom left.
  const details: [string, string][] = [
    ["Issued", formatDate(data.issuedAt)],
    data.expiresAt ? ["Valid until", formatDate(data.expiresAt)] : ["Expiry", "Does not expire"],
    ["CPD", formatMinutes(data.cpdMinutes)],
  ];
  if (data.scorePercent !== null) details.push(["Score", `${Math.round(data.scorePercent)}%`]);
  // The details, the seal and the code column share one centre line.
  const bandCentreY = 147;
  const rowGap = 22;
  let detailY = bandCentreY + ((details.length - 1) * rowGap) / 2 - 4;
  for (const [label, value] of details) {
    drawLeft(page, await shape(label.toUpperCase(), "sansSemiBold"), {
      x: 78,
      y: detailY,
      size: 7.5,
      color: MUTED,
      letterSpacing: 1,
    });
    drawFittedLeft(page, await shape(value, "sans"), { x: 160, y: detailY, size: 11, maxWidth: 150, color: INK });
    detailY -= rowGap;
  }

  drawSeal(page, await shape("DISTINCT", "sansSemiBold"), { x: CENTRE_X, y: bandCentreY });

  // Code, QR and how to check, bottom right.
  const columnX = 680;
  const label = await shape("CERTIFICATE CODE", "sansSemiBold");
  drawCentred(page, label, { x: columnX, y: bandCentreY + 78, size: 7.5, color: MUTED, letterSpacing: 1 });
  drawCentred(page, await shape(code, "sansSemiBold"), {
    x: columnX,
    y: bandCentreY + 57,
    size: 17,
    color: NAVY,
    letterSpacing: 1.2,
  });
  const qrSide = 92;
  drawQrCode(page, data.verifyUrl, { x: columnX - qrSide / 2, top: bandCentreY + 46, side: qrSide });
  const captionSize = 7.5;
  const captionY = bandCentreY + 46 - qrSide - 10;
  drawCentred(page, await shape("Check this certificate at", "sans"), {
    x: columnX,
    y: captionY,
    size: captionSize,
    color: MUTED,
  });
  drawFitted(page, await shape(data.verifyUrl, "sans"), {
    x: columnX,
    y: captionY - 11,
    size: captionSize,
    maxWidth: 210,
    color: INK,
  });
  drawCentred(page, await shape("or scan the QR code", "sans"), {
    x: columnX,
    y: captionY - 22,
    size: captionSize,
    color: MUTED,
  });

  return pdf.save();
}

type TextOptions = { x?: number; y: number; size: number; color: RGB; letterSpacing?: number };

function drawLeft(page: PDFPage, text: MixedText, { x = 0, y, size, color, letterSpacing = 0 }: TextOptions): void {
  if (letterSpacing) page.pushOperators(pushGraphicsState(), setCharacterSpacing(letterSpacing));
  let cursor = x;
  for (const run of text.runs) {
    page.drawText(run.text, { x: cursor, y, size, font: run.font, color });
    cursor += run.font.widthOfTextAtSize(run.text, size) + letterSpacing * [...run.text].length;
  }
  if (letterSpacing) page.pushOperators(popGraphicsState());
}

function drawCentred(page: PDFPage, text: MixedText, options: TextOptions): void {
  const width = widthOf(text, options.size, options.letterSpacing);
  drawLeft(page, text, { ...options, x: (options.x ?? CENTRE_X) - width / 2 });
}

/** Centred on one line, shrunk if it would be wider than maxWidth. */
function drawFitted(page: PDFPage, text: MixedText, options: TextOptions & { maxWidth: number }): void {
  drawCentred(page, text, { ...options, size: fittedSize(text, options.size, options.maxWidth) });
}

function drawFittedLeft(page: PDFPage, text: MixedText, options: TextOptions & { maxWidth: number }): void {
  drawLeft(page, text, { ...options, size: fittedSize(text, options.size, options.maxWidth) });
}

function fittedSize(text: MixedText, size: number, maxWidth: number): number {
  const width = widthOf(text, size);
  return width > maxWidth ? (size * maxWidth) / width : size;
}

/**
 * A vertical stack of centred lines. Each item knows its height (top of capitals and accents to the
 * bottom of descenders, roughly 1 em per line) so names and titles that wrap push the rest down.
 */
type FlowItem = { gapBefore: number; height: number; draw: (page: PDFPage, top: number) => void };

// Baseline sits about 0.8 em below the top of a line's box in Noto.
const ASCENT = 0.8;

function line(
  text: MixedText,
  { gapBefore = 0, size, color, maxWidth = 680 }: { gapBefore?: number; size: number; color: RGB; maxWidth?: number },
): FlowItem {
  const fitted = fittedSize(text, size, maxWidth);
  return {
    gapBefore,
    height: size,
    draw: (page, top) => drawCentred(page, text, { y: top - size * ASCENT - (size - fitted) / 2, size: fitted, color }),
  };
}

/**
 * A name or title: one line at up to maxSize, shrinking to fit maxWidth; when that would go below
 * minSingleLineSize, two balanced lines if they allow larger text. Never wider than maxWidth.
 */
function block(
  text: MixedText,
  options: { gapBefore: number; maxWidth: number; maxSize: number; minSingleLineSize: number; color: RGB },
): FlowItem {
  const { gapBefore, maxWidth, maxSize, minSingleLineSize, color } = options;
  let lines = [text];
  let size = Math.min(maxSize, (maxWidth / widthOf(text, 1000)) * 1000);
  if (size < minSingleLineSize) {
    const twoLineMaxSize = maxSize * 0.75;
    for (let offset = text.text.indexOf(" "); offset > 0; offset = text.text.indexOf(" ", offset + 1)) {
      const pair = splitAt(text, offset);
      const widest = Math.max(...pair.map((part) => widthOf(part, 1000)));
      const pairSize = Math.min(twoLineMaxSize, (maxWidth / widest) * 1000);
      if (pairSize > size) {
        size = pairSize;
        lines = pair;
      }
    }
  }
  const leading = size * 1.2;
  return {
    gapBefore,
    height: size + (lines.length - 1) * leading,
    draw: (page, top) =>
      lines.forEach((part, index) => drawCentred(page, part, { y: top - size * ASCENT - index * leading, size, color })),
  };
}

function drawFlow(page: PDFPage, items: FlowItem[], { top, bottom }: { top: number; bottom: number }): void {
  const space = top - bottom;
  const heights = items.reduce((sum, item) => sum + item.height, 0);
  const gaps = items.reduce((sum, item) => sum + item.gapBefore, 0);
  // A two-line name and a two-line title together can be taller than the space: close the gaps
  // up rather than shrink the text again.
  const gapScale = heights + gaps > space ? Math.max(0, (space - heights) / gaps) : 1;
  const total = heights + gaps * gapScale;
  let cursor = top - Math.max(0, space - total) / 2;
  for (const item of items) {
    cursor -= item.gapBefore * gapScale;
    item.draw(page, cursor);
    cursor -= item.height;
  }
}

function drawBorder(page: PDFPage): void {
  const outer = 20;
  const inner = 26.5;
  const rect = (inset: number, borderWidth: number, borderColor: RGB) =>
    page.drawRectangle({
      x: inset,
      y: inset,
      width: PAGE.width - 2 * inset,
      height: PAGE.height - 2 * inset,
      borderWidth,
      borderColor,
    });
  rect(outer, 2.2, NAVY);
  rect(inner, 0.6, NAVY);
  // Gold accents: small diamonds at the inner corners and a fine gold line inside the border.
  rect(31, 0.35, GOLD);
  for (const [x, y] of [
    [inner, inner],
    [PAGE.width - inner, inner],
    [inner, PAGE.height - inner],
    [PAGE.width - inner, PAGE.height - inner],
  ] as const) {
    const r = 4.2;
    page.drawSvgPath(`M0 ${-r}L${r} 0L0 ${r}L${-r} 0Z`, { x, y, color: GOLD });
  }
}

function drawGoldRule(page: PDFPage, y: number): void {
  const half = 46;
  page.drawLine({ start: { x: CENTRE_X - half, y }, end: { x: CENTRE_X - 6, y }, thickness: 0.9, color: GOLD });
  page.drawLine({ start: { x: CENTRE_X + 6, y }, end: { x: CENTRE_X + half, y }, thickness: 0.9, color: GOLD });
  const r = 2.6;
  page.drawSvgPath(`M0 ${-r}L${r} 0L0 ${r}L${-r} 0Z`, { x: CENTRE_X, y, color: GOLD });
}

/** A simple rosette: a serrated gold edge, a navy disc, a fine gold ring and the name. */
function drawSeal(page: PDFPage, label: MixedText, { x, y }: { x: number; y: number }): void {
  const points = 60;
  const outer = 42;
  const inner = 39;
  let path = "";
  for (let i = 0; i < points * 2; i++) {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = (Math.PI * i) / points;
    path += `${i === 0 ? "M" : "L"}${(radius * Math.cos(angle)).toFixed(2)} ${(radius * Math.sin(angle)).toFixed(2)}`;
  }
  page.drawSvgPath(`${path}Z`, { x, y, color: GOLD });
  page.drawCircle({ x, y, size: 35, color: NAVY });
  page.drawCircle({ x, y, size: 31.5, borderColor: GOLD, borderWidth: 0.6 });
  page.drawCircle({ x, y, size: 29.5, borderColor: GOLD, borderWidth: 0.3 });
  drawCentred(page, label, { x, y: y - 3, size: 8, color: WHITE, letterSpacing: 1.6 });
  // Two small gold diamonds above and below the name.
  for (const dy of [13, -13]) {
    const r = 2.2;
    page.drawSvgPath(`M0 ${-r}L${r} 0L0 ${r}L${-r} 0Z`, { x, y: y + dy, color: GOLD });
  }
}

function drawQrCode(page: PDFPage, url: string, { x, top, side }: { x: number; top: number; side: number }): void {
  const { path, size } = qrCodePath(url);
  // The standard's four-module quiet zone is included in `side`; nothing else is drawn there.
  const moduleSize = side / (size + 8);
  page.drawSvgPath(path, { x: x + 4 * moduleSize, y: top - 4 * moduleSize, scale: moduleSize, color: NAVY });
}

/**
 * A red band in place of the title: the claim "Certificate of completion" is gone while the name,
 * module and dates stay readable (the verification page tells the same story). The words say it,
 * not only the colour, and the band is horizontal so they extract and read in order.
 */
async function drawRevokedBand(page: PDFPage, fonts: CertificateFonts, revoked: { at: Date; reason: string }): Promise<void> {
  const inset = 31;
  const top = 530;
  const bottom = 440;
  page.drawRectangle({ x: inset, y: bottom, width: PAGE.width - 2 * inset, height: top - bottom, color: REVOKED_RED });
  for (const y of [top - 5, bottom + 5]) {
    page.drawLine({ start: { x: inset, y }, end: { x: PAGE.width - inset, y }, thickness: 0.8, color: WHITE });
  }
  const heading = await fonts.shape(`REVOKED on ${formatDate(revoked.at)}`, "sansSemiBold");
  drawFitted(page, heading, { y: bottom + 45, size: 30, maxWidth: 720, color: WHITE });
  // A long reason is cut short rather than printed too small to read; the verification page has it in full.
  const maxWidth = 720;
  const minSize = 9;
  let reason = await fonts.shape(`This certificate is no longer valid. Reason: ${revoked.reason}`, "sans");
  for (let keep = [...reason.text].length; widthOf(reason, minSize) > maxWidth && keep > 1; ) {
    // Jump close to the right length first: a 2,000-character reason should not take 2,000 layouts.
    keep = Math.min(keep - 1, Math.floor((keep * maxWidth) / widthOf(reason, minSize)));
    reason = await fonts.shape(`${[...reason.text].slice(0, keep).join("").trimEnd()}…`, "sans");
  }
  drawFitted(page, reason, { y: bottom + 20, size: 12, maxWidth, color: WHITE });
}

function hex(value: string): RGB {
  const n = Number.parseInt(value.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

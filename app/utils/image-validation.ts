/**
 * What an uploaded lesson image must be (docs/decisions/030). Pure: the type
 * is read from the bytes (magic numbers), never from the file name or the
 * browser's Content-Type; SVG is refused, not cleaned, when it holds
 * anything beyond plain drawing.
 */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const MAX_ALT_CHARS = 300;

export type ImageType = "image/png" | "image/jpeg" | "image/svg+xml";
export type ImageCheck = { ok: true; type: ImageType; width: number | null; height: number | null } | { ok: false; message: string };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  // The IHDR chunk comes first: length (4), "IHDR" (4), width (4), height (4).
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] ?? 0;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    i += 2 + view.getUint16(i + 2);
  }
  return null;
}

/** Elements of plain drawing. Anything else (script, foreignObject, image, a, animate, set, style ...) is refused. */
const SVG_ELEMENTS = new Set(
  "svg g path rect circle ellipse line polyline polygon text tspan textPath title desc defs linearGradient radialGradient stop clipPath mask pattern symbol use marker metadata".split(" "),
);

/**
 * Refuses an SVG with scripts, event handlers, foreign objects, external
 * references (href or url() to anything but "#id" in the same file),
 * style sheets, DOCTYPE/entities or processing instructions other than the
 * XML declaration. A small tokenizer: whatever it cannot read is refused.
 */
export function svgProblem(text: string): string | null {
  let rest = text.replace(/^\uFEFF/, "");
  rest = rest.replace(/^\s*<\?xml\s[^?>]*\?>/, "");
  if (/<!DOCTYPE|<!ENTITY/i.test(rest)) return "the SVG declares a DOCTYPE or entities: save it again as plain SVG";
  if (/<\?/.test(rest)) return "the SVG holds processing instructions (such as a style sheet link)";
  if (/<!\[CDATA\[/i.test(rest)) return "the SVG holds CDATA sections, which can hide scripts";
  // Comments go; they cannot run, and a tag inside one is not a tag.
  rest = rest.replace(/<!--[\s\S]*?-->/g, "");
  if (/<!--/.test(rest)) return "the SVG has an unclosed comment";
  const tag = /<(\/?)([A-Za-z][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const attr = /\s+([\w.:-]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
  let sawSvg = false;
  let i = 0;
  while (i < rest.length) {
    const next = rest.indexOf("<", i);
    if (next === -1) break;
    tag.lastIndex = next;
    const m = tag.exec(rest);
    if (!m) return `the SVG could not be read near “${rest.slice(next, next + 30)}”`;
    const name = m[2] ?? "";
    const local = name.includes(":") ? name.slice(name.indexOf(":") + 1) : name;
    if (!SVG_ELEMENTS.has(local) || (name.includes(":") && !name.startsWith("svg:"))) {
      return local.toLowerCase() === "script"
        ? "the SVG contains a script"
        : local === "foreignObject"
          ? "the SVG contains a foreignObject (HTML inside SVG)"
          : `the SVG contains a <${name}> element, which is not allowed in lesson images`;
    }
    if (local === "svg") sawSvg = true;
    for (const a of (m[3] ?? "").matchAll(attr)) {
      const attrName = (a[1] ?? "").toLowerCase();
      const value = a[2] ?? a[3] ?? "";
      if (attrName.startsWith("on")) return `the SVG has an event handler (${a[1]}), which is a script`;
      if ((attrName === "href" || attrName.endsWith(":href")) && !/^#[\w.:-]+$/.test(value.trim())) {
        return `the SVG refers to “${value.slice(0, 60)}”: only references to parts of the same image (“#id”) are allowed`;
      }
      const decoded = value.replace(/&#x?[0-9a-f]+;?/gi, "?").toLowerCase();
      if (/javascript:|data:|@import|expression\(/.test(decoded) || /url\(\s*['"]?(?!#)/.test(decoded)) {
        return `the SVG attribute ${a[1]} refers to something outside the image`;
      }
      if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(value)) return `the SVG attribute ${a[1]} uses an unknown entity`;
    }
    i = next + m[0].length;
  }
  if (!sawSvg) return "the file is not an SVG image";
  return null;
}

/** The image's type from its bytes, its size, and any reason it is refused. */
export function checkImageBytes(bytes: Uint8Array): ImageCheck {
  if (bytes.length === 0) return { ok: false, message: "Choose an image file to upload." };
  if (bytes.length > MAX_IMAGE_BYTES) {
    return { ok: false, message: `The image is ${(bytes.length / 1024 / 1024).toFixed(1)} MB: at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB. Make it smaller and upload it again.` };
  }
  if (startsWith(bytes, PNG)) {
    const size = pngSize(bytes);
    return size ? { ok: true, type: "image/png", ...size } : { ok: false, message: "The PNG file is damaged: its header could not be read." };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const size = jpegSize(bytes);
    return { ok: true, type: "image/jpeg", width: size?.width ?? null, height: size?.height ?? null };
  }
  // SVG is text: it must decode as UTF-8 and start (after an optional declaration and comments) with markup.
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: "The file is not a PNG, JPEG or SVG image (its contents were checked, not its name)." };
  }
  if (!/^\uFEFF?\s*(?:<\?[\s\S]*?\?>\s*)*(?:<!--[\s\S]*?-->\s*)*<(?:svg|!DOCTYPE\s+svg)[\s>]/i.test(text)) {
    return { ok: false, message: "The file is not a PNG, JPEG or SVG image (its contents were checked, not its name)." };
  }
  const problem = svgProblem(text);
  if (problem) return { ok: false, message: `This SVG was refused: ${problem}. Export it again as plain SVG (or as PNG) and upload that.` };
  return { ok: true, type: "image/svg+xml", width: null, height: null };
}

export type AltCheck = { ok: true; alt: string; decorative: boolean } | { ok: false; message: string };

/** Alt text is required, unless the author marks the image as decorative (then it is empty). */
export function checkAlt(alt: string, decorative: boolean): AltCheck {
  const text = alt.replace(/\s+/g, " ").trim();
  if (decorative) {
    if (text) return { ok: false, message: "A decorative image has no alt text: clear the alt text, or untick “decorative”." };
    return { ok: true, alt: "", decorative: true };
  }
  if (!text) return { ok: false, message: "Enter alt text: what the image shows, for people who cannot see it. Or tick “decorative” if it adds nothing." };
  if (text.length > MAX_ALT_CHARS) return { ok: false, message: `Alt text can be at most ${MAX_ALT_CHARS} characters (it is ${text.length}).` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(alt.replace(/[\t\n\r]/g, ""))) return { ok: false, message: "Alt text contains a control character." };
  return { ok: true, alt: text, decorative: false };
}

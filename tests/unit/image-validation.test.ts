import { expect, test } from "vitest";
import { checkAlt, checkImageBytes, MAX_IMAGE_BYTES } from "#app/utils/image-validation.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
/** A 1×1 PNG and the start of a JPEG (SOF0 says 3 wide, 2 high). */
const PNG = Uint8Array.from(Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d3b1d70000000049454e44ae426082", "hex"));
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);
const SVG = '<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs><title>A box</title><rect width="10" height="10" fill="url(#g)"/><use href="#g"/><text x="1" y="5">A &amp; B</text></svg>';

test("PNG, JPEG and plain SVG are accepted, by their bytes", () => {
  expect(checkImageBytes(PNG)).toEqual({ ok: true, type: "image/png", width: 1, height: 1 });
  expect(checkImageBytes(JPEG)).toEqual({ ok: true, type: "image/jpeg", width: 3, height: 2 });
  expect(checkImageBytes(bytes(SVG))).toEqual({ ok: true, type: "image/svg+xml", width: null, height: null });
});

test.each([
  ["a GIF", Uint8Array.from(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1")), /not a PNG, JPEG or SVG/],
  ["a PDF", bytes("%PDF-1.7\n1 0 obj"), /not a PNG, JPEG or SVG/],
  ["an HTML page", bytes("<!doctype html><html><script>alert(1)</script></html>"), /not a PNG, JPEG or SVG/],
  ["a Windows program", Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), /not a PNG, JPEG or SVG/],
  ["an empty file", new Uint8Array(0), /Choose an image file/],
  ["a damaged PNG", PNG.subarray(0, 12), /PNG file is damaged/],
])("wrong type by its bytes: %s is refused", (_name, input, message) => {
  const result = checkImageBytes(input);
  expect(result.ok).toBe(false);
  expect(result.ok ? "" : result.message).toMatch(message);
});

test("an image over the size limit is refused", () => {
  const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
  big.set(PNG);
  expect(checkImageBytes(big)).toEqual({ ok: false, message: "The image is 2.0 MB: at most 2 MB. Make it smaller and upload it again." });
  const justFits = new Uint8Array(MAX_IMAGE_BYTES);
  justFits.set(PNG);
  expect(checkImageBytes(justFits).ok).toBe(true);
});

const svg = (inner: string, attrs = "") => `<svg xmlns="http://www.w3.org/2000/svg"${attrs}>${inner}</svg>`;
test.each([
  ["a script", svg("<script>alert(1)</script>"), "the SVG contains a script"],
  ["a namespaced script", svg("<svg:script>alert(1)</svg:script>"), "the SVG contains a script"],
  ["an event handler", svg('<rect width="1" height="1" onclick="alert(1)"/>'), "the SVG has an event handler (onclick), which is a script"],
  ["onload on the root", svg("", ' onload="alert(1)"'), "the SVG has an event handler (onload), which is a script"],
  ["a foreignObject", svg("<foreignObject><div>hi</div></foreignObject>"), "the SVG contains a foreignObject (HTML inside SVG)"],
  ["an external image", svg('<image href="https://evil.example/x.png"/>'), "the SVG contains a <image> element, which is not allowed in lesson images"],
  ["an external use", svg('<use href="https://evil.example/s.svg#x"/>'), "the SVG refers to “https://evil.example/s.svg#x”: only references to parts of the same image (“#id”) are allowed"],
  ["a javascript: link", svg('<use xlink:href="javascript:alert(1)"/>'), "the SVG refers to “javascript:alert(1)”: only references to parts of the same image (“#id”) are allowed"],
  ["an <a> element", svg('<a href="#x"><rect/></a>'), "the SVG contains a <a> element, which is not allowed in lesson images"],
  ["animation that sets href", svg('<set attributeName="href" to="javascript:alert(1)"/>'), "the SVG contains a <set> element, which is not allowed in lesson images"],
  ["a style sheet", svg("<style>@import url(https://evil.example/a.css);</style>"), "the SVG contains a <style> element, which is not allowed in lesson images"],
  ["an external url() in a style", svg('<rect style="fill: url(https://evil.example/p.svg#p)"/>'), "the SVG attribute style refers to something outside the image"],
  ["an entity-encoded javascript:", svg('<rect fill="url(&#x6a;avascript:x)"/>'), "the SVG attribute fill refers to something outside the image"],
  ["a DOCTYPE with entities (billion laughs, XXE)", `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${svg("<text>&x;</text>")}`, "the SVG declares a DOCTYPE or entities: save it again as plain SVG"],
  ["a style sheet processing instruction", `<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/a.css"?>${svg("")}`, "the SVG holds processing instructions (such as a style sheet link)"],
  ["CDATA", svg("<text><![CDATA[<script>alert(1)</script>]]></text>"), "the SVG holds CDATA sections, which can hide scripts"],
  ["markup it cannot read", svg('<rect width="1" / <script>'), "the SVG could not be read near “<rect width=\"1\" / <script></sv”"],
])("hostile SVG: %s is refused", (_name, text, problem) => {
  expect(checkImageBytes(bytes(text))).toEqual({ ok: false, message: `This SVG was refused: ${problem}. Export it again as plain SVG (or as PNG) and upload that.` });
});

test("alt text is required unless the image is marked decorative", () => {
  expect(checkAlt("  ", false)).toEqual({ ok: false, message: "Enter alt text: what the image shows, for people who cannot see it. Or tick “decorative” if it adds nothing." });
  expect(checkAlt("", true)).toEqual({ ok: true, alt: "", decorative: true });
  expect(checkAlt("A timeline", true)).toEqual({ ok: false, message: "A decorative image has no alt text: clear the alt text, or untick “decorative”." });
  expect(checkAlt("  A timeline\nof changes ", false)).toEqual({ ok: true, alt: "A timeline of changes", decorative: false });
  expect(checkAlt("x".repeat(301), false)).toEqual({ ok: false, message: "Alt text can be at most 300 characters (it is 301)." });
});

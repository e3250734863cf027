import { StringDecoder } from "node:string_decoder";
import { Transform } from "node:stream";

const CLOSING = "</body></html>";

/**
 * React 18 writes the document's closing `</body></html>` with the shell, and
 * everything that finishes later (Suspense boundaries, and single fetch's
 * `streamController` scripts, the last of which closes the stream) is written
 * after it. Browsers cope; an HTML parser such as the W3C Nu checker stops at
 * "Stray start tag script" and checks nothing further. This holds the closing
 * tags back and writes them once the render has finished, so every script
 * stays inside `<body>`.
 *
 * The tags may be split across chunks, so the longest tail of a chunk that
 * could begin them is held until the next chunk shows whether it does.
 */
export function closeBodyAtEnd() {
  const decoder = new StringDecoder("utf8");
  let held = "";
  let sawClosing = false;
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      let text = held + (typeof chunk === "string" ? chunk : decoder.write(chunk));
      if (text.includes(CLOSING)) {
        sawClosing = true;
        text = text.split(CLOSING).join("");
      }
      held = partialClosingAtEnd(text);
      const ready = text.slice(0, text.length - held.length);
      callback(null, ready.length ? Buffer.from(ready, "utf8") : undefined);
    },
    flush(callback) {
      const rest = held + decoder.end() + (sawClosing ? CLOSING : "");
      callback(null, rest.length ? Buffer.from(rest, "utf8") : undefined);
    },
  });
}

/** The longest end of `text` that is the start of `</body></html>`. */
function partialClosingAtEnd(text: string): string {
  for (let length = Math.min(CLOSING.length - 1, text.length); length > 0; length--) {
    if (CLOSING.startsWith(text.slice(text.length - length))) return text.slice(text.length - length);
  }
  return "";
}

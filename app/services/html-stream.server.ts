import { Transform } from "node:stream";

const CLOSING = Buffer.from("</body></html>", "utf8");

/**
 * Mends two faults of React 18's streamed HTML, on bytes (no decoding, so a
 * letter split across chunks passes through untouched):
 *
 * - React writes the document's closing `</body></html>` with the shell, and
 *   everything that finishes later (Suspense boundaries, and single fetch's
 *   `streamController` scripts, the last of which closes the stream) is
 *   written after it. Browsers cope; an HTML parser such as the W3C Nu checker
 *   stops at "Stray start tag script" and checks nothing further. The closing
 *   tags are held back and written once the render has finished, so every
 *   script stays inside `<body>`. They may be split across chunks, so the
 *   longest tail of a chunk that could begin them is held until the next
 *   chunk shows whether it does.
 * - When a string does not fit the rest of React's 2,048-byte buffer, React
 *   18.3 writes the whole buffer (`writeToDestination(destination,
 *   currentView)` in react-dom-server.node), unwritten zero bytes included: a
 *   page then carries U+0000 before a letter such as "✓". No page of ours
 *   holds a NUL (the request guard refuses them in input), so NUL bytes are
 *   dropped.
 */
export function closeBodyAtEnd() {
  let held: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  let sawClosing = false;
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      // A copy: the writer may reuse the memory of a chunk it has handed over.
      let bytes: Buffer<ArrayBufferLike> = Buffer.concat([held, typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk)]);
      const withoutClosing = removeAll(bytes, CLOSING);
      if (withoutClosing.length !== bytes.length) sawClosing = true;
      bytes = dropNul(withoutClosing);
      held = partialClosingAtEnd(bytes);
      const ready = bytes.subarray(0, bytes.length - held.length);
      callback(null, ready.length ? ready : undefined);
    },
    flush(callback) {
      const rest = sawClosing ? Buffer.concat([held, CLOSING]) : held;
      callback(null, rest.length ? rest : undefined);
    },
  });
}

function removeAll(bytes: Buffer, needle: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(needle, from); at >= 0; at = bytes.indexOf(needle, from)) {
    parts.push(bytes.subarray(from, at));
    from = at + needle.length;
  }
  if (from === 0) return bytes;
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

function dropNul(bytes: Buffer): Buffer {
  return bytes.includes(0) ? Buffer.from(bytes.filter((b) => b !== 0)) : bytes;
}

/** The longest end of `bytes` that is the start of `</body></html>`. */
function partialClosingAtEnd(bytes: Buffer): Buffer {
  for (let length = Math.min(CLOSING.length - 1, bytes.length); length > 0; length--) {
    if (CLOSING.subarray(0, length).equals(bytes.subarray(bytes.length - length))) return Buffer.from(bytes.subarray(bytes.length - length));
  }
  return Buffer.alloc(0);
}

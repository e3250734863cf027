import { EventEmitter } from "node:events";
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
  const mend = htmlMender();
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const ready = mend.push([chunk]);
      callback(null, ready.length ? ready : undefined);
    },
    flush(callback) {
      const rest = mend.end();
      callback(null, rest.length ? rest : undefined);
    },
  });
}

/** The mending above, on whole batches of chunks: `push` answers what may go now, `end` the rest. */
export function htmlMender() {
  let held: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  let sawClosing = false;
  return {
    push(chunks: (Uint8Array | string)[]): Buffer {
      // A copy: the writer may reuse the memory of a chunk it has handed over.
      const parts = chunks.map((c) => (typeof c === "string" ? Buffer.from(c, "utf8") : Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
      let bytes: Buffer<ArrayBufferLike> = Buffer.concat(held.length ? [held, ...parts] : parts);
      const withoutClosing = removeAll(bytes, CLOSING);
      if (withoutClosing.length !== bytes.length) sawClosing = true;
      bytes = dropNul(withoutClosing);
      held = partialClosingAtEnd(bytes);
      return bytes.subarray(0, bytes.length - held.length);
    },
    end(): Buffer {
      return sawClosing ? Buffer.concat([held, CLOSING]) : held;
    },
  };
}

/** The part of a Node writable stream React's `pipe` uses. */
export type PipeDestination = EventEmitter & {
  write(chunk: Uint8Array | string): boolean;
  flush(): void;
  end(): void;
  destroy(error?: Error): void;
};

/** Bytes the page's stream holds unread before React is asked to wait (as a Node stream's high-water mark). */
const HIGH_WATER_MARK = 16 * 1024;

/**
 * Where React's `renderToPipeableStream` writes a page, and the stream Remix
 * sends it from (ADR 044). It replaces a PassThrough piped through
 * `closeBodyAtEnd` and then wrapped as a web stream (Remix's
 * createReadableStreamFromReadable): three streams, each chunk passed through
 * each. Here React's chunks are kept until React flushes (once per batch of
 * completed work: the shell, then each boundary or script that finishes
 * later), mended as `closeBodyAtEnd` mends them, and handed to the web stream
 * as one chunk. Writes answer false while the reader has more than
 * HIGH_WATER_MARK bytes unread, and "drain" follows when it reads, as a Node
 * stream does; a reader that cancels (the client went away) closes the
 * destination, and React stops rendering.
 */
export function htmlBody(): { destination: PipeDestination; stream: ReadableStream<Uint8Array> } {
  const mend = htmlMender();
  const pending: (Uint8Array | string)[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  let waiting = false;
  const emitter = new EventEmitter();
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => {
        if (!waiting) return;
        waiting = false;
        emitter.emit("drain");
      },
      cancel: () => {
        finished = true;
        pending.length = 0;
        emitter.emit("close");
      },
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
  const hand = () => {
    if (pending.length === 0) return;
    const bytes = mend.push(pending);
    pending.length = 0;
    if (bytes.length) controller.enqueue(bytes);
  };
  const destination = Object.assign(emitter, {
    write(chunk: Uint8Array | string): boolean {
      if (finished) return false;
      pending.push(chunk);
      if ((controller.desiredSize ?? 0) > 0) return true;
      waiting = true;
      return false;
    },
    flush(): void {
      if (!finished) hand();
    },
    end(): void {
      if (finished) return;
      hand();
      finished = true;
      const rest = mend.end();
      if (rest.length) controller.enqueue(rest);
      controller.close();
      emitter.emit("finish");
    },
    destroy(error?: Error): void {
      if (finished) return;
      finished = true;
      pending.length = 0;
      controller.error(error ?? new Error("The page's stream was destroyed"));
      emitter.emit("close");
    },
  });
  return { destination, stream };
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

import type { ServerResponse } from "node:http";

/**
 * Writes a streamed body (writeReadableStreamToWritable's job) a turn of the
 * event loop at a time: what the render hands over within one turn goes out
 * in one write, and a compressing writer is flushed once per turn. React
 * writes a page's shell in 2 KB pieces; each was a write (a system call, and
 * with compression a flush) of its own. A body complete within its first
 * turn, as every page measured is, goes with `end` and a Content-Length
 * in one piece, as a static file is, instead of as chunks. What arrives later
 * (deferred data) still goes out as it comes (ADR 040).
 */
export async function writeBody(body: ReadableStream<Uint8Array>, res: ServerResponse & { flush?: () => void }): Promise<void> {
  const reader = body.getReader();
  const pending: Uint8Array[] = [];
  const joined = () => (pending.length === 1 ? pending[0]! : Buffer.concat(pending));
  let turn: NodeJS.Immediate | null = null;
  let written = false;
  const flush = () => {
    turn = null;
    written = true;
    res.write(joined());
    pending.length = 0;
    // The compression middleware's flush: without it, gzip would hold streamed parts back.
    res.flush?.();
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending.push(value);
      turn ??= setImmediate(flush);
    }
    if (turn) clearImmediate(turn);
    const rest = pending.length ? joined() : null;
    // The whole body in hand before a byte went: say its length (compression drops it where it compresses).
    if (!written && !res.headersSent) res.setHeader("Content-Length", rest?.byteLength ?? 0);
    if (rest) res.end(rest);
    else res.end();
  } catch (error) {
    if (turn) clearImmediate(turn);
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

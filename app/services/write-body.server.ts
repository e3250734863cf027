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
 *
 * A part waits while more keeps coming: the write goes once a whole turn
 * has passed without a part, and each part arriving before that moves it on, up to HOLD_TURNS turns or HOLD_BYTES bytes
 * (ADR 044). A browser's page is rendered streaming: the shell comes first
 * and single fetch's data scripts follow a turn or three later (each is a
 * Suspense boundary React retries in a turn of its own), so the page went as
 * two or three writes in chunked encoding. Held so, a page whose data is
 * ready goes in one piece with its length; data that takes longer than a
 * turn (a deferred loader waiting for the database) still goes as it comes.
 */
/** Turns a part may wait for the next: a page's data scripts come within three. */
export const HOLD_TURNS = 4;
/** Bytes past which what is held goes at once. */
export const HOLD_BYTES = 256 * 1024;

export async function writeBody(body: ReadableStream<Uint8Array>, res: ServerResponse & { flush?: () => void }): Promise<void> {
  const reader = body.getReader();
  const pending: Uint8Array[] = [];
  const joined = () => (pending.length === 1 ? pending[0]! : Buffer.concat(pending));
  let turn: NodeJS.Immediate | null = null;
  let held = 0;
  let heldBytes = 0;
  let written = false;
  const flush = () => {
    turn = null;
    held = 0;
    heldBytes = 0;
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
      heldBytes += value.byteLength;
      // More came within the turn the write waited for: wait one more, within the bounds.
      if (turn && held < HOLD_TURNS && heldBytes < HOLD_BYTES) {
        clearImmediate(turn);
        turn = null;
        held++;
      }
      // Two hops: the first lets whatever was queued for the next turn (React's retry of a boundary, queued after this)
      // run first, so a part it makes arrives before the write, and moves the write on.
      turn ??= setImmediate(() => (turn = setImmediate(flush)));
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

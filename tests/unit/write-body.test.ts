import http from "node:http";
import type { AddressInfo } from "node:net";
import compression from "compression";
import type { Request, Response } from "express";
import { afterEach, expect, test } from "vitest";
import { writeBody } from "#app/services/write-body.server.ts";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/**
 * A server answering with `parts`, each enqueued after its delay (0: at once, same turn), written by
 * writeBody behind the compression middleware, as app/server.ts has it (bodies under 1 KB are not compressed).
 */
async function serve(parts: { text: string; afterMs?: number; afterTurns?: number }[]): Promise<{ url: string; writes: number[] }> {
  const writes: number[] = [];
  const compress = compression({ level: 1 });
  const server = http.createServer((req, res) => compress(req as Request, res as Response, () => answer(res)));
  const answer = (res: http.ServerResponse) => {
    const write = res.write.bind(res);
    res.write = ((chunk: Uint8Array, ...rest: never[]) => (writes.push(chunk.byteLength), write(chunk, ...rest))) as typeof res.write;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const part of parts) {
          if (part.afterMs) await new Promise((resolve) => setTimeout(resolve, part.afterMs));
          for (let turn = 0; turn < (part.afterTurns ?? 0); turn++) await new Promise((resolve) => setImmediate(resolve));
          controller.enqueue(new TextEncoder().encode(part.text));
        }
        controller.close();
      },
    });
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    void writeBody(body, res);
  };
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, writes };
}

test("a body complete within its first turn goes in one piece with its length, not as chunks", async () => {
  const { url, writes } = await serve([{ text: "<!DOCTYPE html><html>" }, { text: "<body>Łukasz</body>" }, { text: "</html>" }]);
  const response = await fetch(url);
  expect(await response.text()).toBe("<!DOCTYPE html><html><body>Łukasz</body></html>");
  expect(response.headers.get("content-length")).toBe("48");
  expect(response.headers.get("transfer-encoding")).toBeNull();
  expect(writes).toEqual([]);
});

test("parts arriving later are sent as they come: the first is read before the last is made", async () => {
  const { url, writes } = await serve([{ text: "<p>shell</p>" }, { text: "<p>more shell</p>" }, { text: "<p>deferred</p>", afterMs: 300 }]);
  const response = await fetch(url);
  expect(response.headers.get("content-length")).toBeNull();
  expect(response.headers.get("transfer-encoding")).toBe("chunked");
  const reader = response.body!.getReader();
  const first = await reader.read();
  // The shell's two parts went as one write, before the deferred part existed.
  expect(new TextDecoder().decode(first.value)).toBe("<p>shell</p><p>more shell</p>");
  expect(writes).toEqual([29]);
  let rest = "";
  for (let part = await reader.read(); !part.done; part = await reader.read()) rest += new TextDecoder().decode(part.value);
  expect(rest).toBe("<p>deferred</p>");
});

test("parts that follow each within a turn (a browser's page: shell, then single fetch's scripts) go in one piece", async () => {
  const { url, writes } = await serve([{ text: "<p>shell</p>" }, { text: "<script>1</script>", afterTurns: 1 }, { text: "<script>2</script>", afterTurns: 1 }]);
  const response = await fetch(url);
  expect(await response.text()).toBe("<p>shell</p><script>1</script><script>2</script>");
  expect(response.headers.get("content-length")).toBe("48");
  expect(writes).toEqual([]);
});

test("a part still coming after the turns a write may wait goes on its own: the ones before are not held for it", async () => {
  const parts = [{ text: "<p>shell</p>" }, ...Array.from({ length: 12 }, (_, i) => ({ text: `<i>${i % 10}</i>`, afterTurns: 1 }))];
  const { url, writes } = await serve(parts);
  const response = await fetch(url);
  expect(await response.text()).toBe(parts.map((p) => p.text).join(""));
  expect(response.headers.get("transfer-encoding")).toBe("chunked");
  // The shell was held while parts kept coming, HOLD_TURNS (4) times at most: it went with a few of them, not all twelve.
  expect(writes[0]).toBeGreaterThanOrEqual(12 + 4 * 8);
  expect(writes[0]).toBeLessThan(12 + 12 * 8);
});

test("an empty body is an empty answer of length 0", async () => {
  const { url } = await serve([]);
  const response = await fetch(url);
  expect(response.headers.get("content-length")).toBe("0");
  expect(await response.text()).toBe("");
});

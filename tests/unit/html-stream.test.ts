import { Readable } from "node:stream";
import { expect, test } from "vitest";
import { closeBodyAtEnd } from "#app/services/html-stream.server.ts";

async function run(chunks: string[]): Promise<string> {
  const out: Buffer[] = [];
  const stream = Readable.from(chunks.map((c) => Buffer.from(c, "utf8"))).pipe(closeBodyAtEnd());
  for await (const chunk of stream) out.push(chunk as Buffer);
  return Buffer.concat(out).toString("utf8");
}

test("scripts streamed after the shell end up inside <body>", async () => {
  const html = await run(['<!DOCTYPE html><html><body><p>Hi</p></body></html>', "<!--$--><script>close()</script><!--/$-->"]);
  expect(html).toBe("<!DOCTYPE html><html><body><p>Hi</p><!--$--><script>close()</script><!--/$--></body></html>");
});

test("closing tags split across chunks, and a multi-byte letter split across chunks, survive", async () => {
  const bytes = Buffer.from("<body>Łukasz</bo", "utf8");
  const out: Buffer[] = [];
  const stream = Readable.from([bytes.subarray(0, 7), bytes.subarray(7), Buffer.from("dy></ht"), Buffer.from("ml><script>x</script>")]).pipe(closeBodyAtEnd());
  for await (const chunk of stream) out.push(chunk as Buffer);
  expect(Buffer.concat(out).toString("utf8")).toBe("<body>Łukasz<script>x</script></body></html>");
});

test("text that only looks like the start of the closing tags is passed on unchanged", async () => {
  expect(await run(["<body><p>a</b", "><p>b</p></body></html>"])).toBe("<body><p>a</b><p>b</p></body></html>");
  expect(await run(["no document here"])).toBe("no document here");
});

test("the zero bytes React 18 leaves at the end of a full buffer (before a letter that did not fit) are dropped", async () => {
  // What react-dom-server.node writes when "✓" does not fit the last two bytes of its buffer.
  const full = Buffer.concat([Buffer.from('<span class="tag__icon">', "utf8"), Buffer.from([0, 0])]);
  const out: Buffer[] = [];
  const stream = Readable.from([full, Buffer.from("✓</span>", "utf8")]).pipe(closeBodyAtEnd());
  for await (const chunk of stream) out.push(chunk as Buffer);
  expect(Buffer.concat(out).toString("utf8")).toBe('<span class="tag__icon">✓</span>');
});

import { Readable } from "node:stream";
import { createElement, Suspense } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { expect, test } from "vitest";
import { closeBodyAtEnd, htmlBody } from "#app/services/html-stream.server.ts";

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

// htmlBody: React's destination and the page's web stream in one (ADR 044).

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const chunks: string[] = [];
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(Buffer.from(read.value).toString("utf8"));
  return chunks;
}

test("a page React renders into htmlBody: the shell in one chunk, what finishes later after it, the closing tags last", async () => {
  let resolveLater!: () => void;
  const later = new Promise<void>((resolve) => (resolveLater = resolve));
  let ready = false;
  function Later() {
    if (!ready) throw later.then(() => void (ready = true));
    return createElement("p", null, "Łater ✓");
  }
  const page = createElement(
    "html",
    null,
    createElement("body", null, createElement("main", null, "x".repeat(5000)), createElement(Suspense, { fallback: createElement("i", null, "wait") }, createElement(Later))),
  );
  const { destination, stream } = htmlBody();
  const { pipe } = renderToPipeableStream(page, { onShellReady: () => void pipe(destination as unknown as NodeJS.WritableStream) });
  const reading = readAll(stream);
  await new Promise((resolve) => setTimeout(resolve, 10));
  resolveLater();
  const chunks = await reading;
  // React's shell in 2 KB pieces arrives as one chunk; then the boundary's content and script; then the closing tags.
  expect(chunks.length).toBe(3);
  expect(chunks[0]).toMatch(/^<!DOCTYPE html><html><body><main>x{5000}<\/main>.*<i>wait<\/i><!--\/\$-->$/);
  expect(chunks[1]).toMatch(/^<div hidden id="S:0"><p>Łater ✓<\/p><\/div><script>.*<\/script>$/);
  expect(chunks[2]).toBe("</body></html>");
});

test("writes answer false while the reader is more than 16 KB behind, and drain follows its read", async () => {
  const { destination, stream } = htmlBody();
  const drained: number[] = [];
  destination.on("drain", () => drained.push(1));
  expect(destination.write(Buffer.alloc(20_000, 97))).toBe(true);
  destination.flush();
  expect(destination.write(Buffer.from("b"))).toBe(false);
  const reader = stream.getReader();
  expect((await reader.read()).value?.byteLength).toBe(20_000);
  await new Promise((resolve) => setImmediate(resolve));
  expect(drained.length).toBe(1);
  destination.end();
  expect(Buffer.from((await reader.read()).value!).toString()).toBe("b");
  expect((await reader.read()).done).toBe(true);
});

test("a reader that cancels closes the destination (React stops); a destroyed destination errors the stream", async () => {
  const first = htmlBody();
  const closed: number[] = [];
  first.destination.on("close", () => closed.push(1));
  first.destination.write("<p>");
  first.destination.flush();
  await first.stream.cancel();
  expect(closed.length).toBe(1);
  expect(first.destination.write("more")).toBe(false);

  const second = htmlBody();
  second.destination.destroy(new Error("render failed"));
  await expect(second.stream.getReader().read()).rejects.toThrow("render failed");
});

test("htmlBody mends as closeBodyAtEnd does: zero bytes dropped, closing tags split across flushes held to the end", async () => {
  const { destination, stream } = htmlBody();
  const reading = readAll(stream);
  destination.write(Buffer.concat([Buffer.from("<body><span>", "utf8"), Buffer.from([0, 0])]));
  destination.write(Buffer.from("✓</span></bo", "utf8"));
  destination.flush();
  destination.write("dy></html><script>x</script>");
  destination.end();
  expect((await reading).join("")).toBe("<body><span>✓</span><script>x</script></body></html>");
});

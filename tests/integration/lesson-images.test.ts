import { expect, test } from "vitest";
import { compileMdx } from "#app/content/compile-mdx.server.ts";
import { renderMdxToHtml } from "#app/content/render-mdx.server.tsx";
import { action, loader } from "#app/routes/studio.images.tsx";
import { loader as imageLoader } from "#app/routes/images.$hash.ts";
import { createUser, sessionCookie } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

await openTestDatabase();

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d3b1d70000000049454e44ae426082", "hex");

async function post(cookie: string, fields: { file?: { bytes: Uint8Array; name: string; type: string }; alt?: string; decorative?: boolean }) {
  const form = new FormData();
  if (fields.file) form.append("file", new File([Buffer.from(fields.file.bytes)], fields.file.name, { type: fields.file.type }));
  if (fields.alt !== undefined) form.append("alt", fields.alt);
  if (fields.decorative) form.append("decorative", "yes");
  const request = new Request("http://localhost:3999/studio/images", { method: "POST", body: form, headers: { Cookie: cookie } });
  try {
    const result = await action({ request, params: {}, context: undefined as never });
    return { status: result.init?.status ?? 200, data: result.data };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, data: null };
    throw thrown;
  }
}

test("an author uploads a PNG; it is served at its hash with a year's immutable cache; a lesson shows it through <Image>", async () => {
  const author = await sessionCookie(await createUser({ role: "author" }));
  const uploaded = await post(author, { file: { bytes: PNG, name: "timeline.png", type: "image/png" }, alt: "Timeline of the counting rules" });
  expect(uploaded.status).toBe(200);
  const hash = uploaded.data && "uploaded" in uploaded.data ? uploaded.data.uploaded : "";
  expect(hash).toMatch(/^[a-f0-9]{64}$/);
  expect(uploaded.data).toEqual({ uploaded: hash, existed: false });
  // The same bytes again are the same image.
  expect((await post(author, { file: { bytes: PNG, name: "again.png", type: "image/png" }, alt: "Other words" })).data).toEqual({ uploaded: hash, existed: true });

  const served = await imageLoader({ request: new Request(`http://localhost:3999/images/${hash}`), params: { hash }, context: undefined as never });
  expect(served.status).toBe(200);
  expect(served.headers.get("Content-Type")).toBe("image/png");
  expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
  expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  const missing = await imageLoader({ request: new Request("http://localhost:3999/images/x"), params: { hash: "0".repeat(64) }, context: undefined as never });
  expect(missing.status).toBe(404);
  const traversal = await imageLoader({ request: new Request("http://localhost:3999/images/x"), params: { hash: "../../auth-secret" }, context: undefined as never });
  expect(traversal.status).toBe(404);

  const list = await loader({ request: new Request("http://localhost:3999/studio/images", { headers: { Cookie: author } }), params: {}, context: undefined as never });
  expect(list.images.map((i) => ({ hash: i.hash, alt: i.alt, width: i.width, height: i.height, originalName: i.originalName }))).toEqual([
    { hash, alt: "Timeline of the counting rules", width: 1, height: 1, originalName: "timeline.png" },
  ]);

  const { code } = await compileMdx(`## A picture\n\n<Image hash="${hash}" alt="Timeline of the counting rules" caption="Since 2014" />\n`, "/tmp/lesson.mdx");
  const html = renderMdxToHtml(code);
  expect(html).toContain(`<img class="mdx-image__img" src="/images/${hash}" alt="Timeline of the counting rules" loading="lazy" decoding="async"/>`);
  expect(html).toContain("<figcaption>Since 2014</figcaption>");
});

test("each refusal is a 400 with the reason at the field: wrong type, too big, no alt text, hostile SVG; learners are refused", async () => {
  const author = await sessionCookie(await createUser({ role: "author" }));
  const gif = await post(author, { file: { bytes: Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"), name: "fake.png", type: "image/png" }, alt: "A chart" });
  expect(gif).toMatchObject({ status: 400, data: { field: "file", message: "The file is not a PNG, JPEG or SVG image (its contents were checked, not its name)." } });

  const big = new Uint8Array(2 * 1024 * 1024 + 1);
  big.set(PNG);
  const tooBig = await post(author, { file: { bytes: big, name: "big.png", type: "image/png" }, alt: "A chart" });
  expect(tooBig).toMatchObject({ status: 400, data: { field: "file", message: "The image is larger than 2 MB. Make it smaller and upload it again." } });

  const noAlt = await post(author, { file: { bytes: PNG, name: "a.png", type: "image/png" }, alt: "" });
  expect(noAlt).toMatchObject({ status: 400, data: { field: "alt", message: expect.stringMatching(/^Enter alt text/) } });
  const decorative = await post(author, { file: { bytes: PNG, name: "a.png", type: "image/png" }, alt: "", decorative: true });
  expect(decorative.status).toBe(200);

  const hostile = await post(author, { file: { bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), name: "x.svg", type: "image/svg+xml" }, alt: "A chart" });
  expect(hostile).toMatchObject({ status: 400, data: { field: "file", message: expect.stringMatching(/^This SVG was refused: the SVG contains a script/) } });

  const noFile = await post(author, { alt: "A chart" });
  expect(noFile).toMatchObject({ status: 400, data: { field: "file", message: "Choose an image file to upload." } });

  const learner = await sessionCookie(await createUser());
  expect((await post(learner, { file: { bytes: PNG, name: "a.png", type: "image/png" }, alt: "x" })).status).toBe(403);
});

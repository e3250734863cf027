import type { LoaderFunctionArgs } from "@remix-run/node";
import { readImage } from "#app/models/authoring/uploaded-images.server.ts";

// An image's address is the hash of its bytes: it can be cached for ever.
export async function loader({ params }: LoaderFunctionArgs) {
  const image = await readImage(params.hash ?? "");
  if (!image) return new Response("There is no image at this address.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(Buffer.from(image.bytes), {
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      // Opened on its own, an SVG is a document: even one that slipped past the check could run nothing.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      "Content-Disposition": "inline",
    },
  });
}

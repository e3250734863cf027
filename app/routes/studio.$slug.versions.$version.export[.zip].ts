import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportVersionZip } from "#app/models/authoring/zip.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const slug = params.slug ?? "";
  const version = Number(params.version);
  invariantResponse(Number.isInteger(version) && version > 0, "There is no such version of this module.");
  const zip = await exportVersionZip(slug, version);
  invariantResponse(zip, "There is no such version of this module, or its source is not stored.");
  return new Response(Buffer.from(zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${slug}-v${version}.zip"`,
      "Cache-Control": "private, no-store",
    },
  });
}

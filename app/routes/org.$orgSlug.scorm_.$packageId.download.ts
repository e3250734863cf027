import type { LoaderFunctionArgs } from "@remix-run/node";
import { scormPackageZip } from "#app/models/learning/scorm.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";

/** One of the organisation's SCORM packages as a zip, built from its row (docs/decisions/031). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const file = await scormPackageZip(organisation.id, params.packageId ?? "");
  invariantResponse(file, "There is no such package in this organisation, or it was withdrawn.");
  return new Response(Buffer.from(file.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

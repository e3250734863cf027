import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportBank } from "#app/models/authoring/question-bank.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

/** The draft's quiz.yaml exactly as stored, for power users to edit and import again. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const slug = params.slug ?? "";
  const text = await exportBank(slug);
  invariantResponse(text !== null, "This module has no open draft with a question bank.");
  return new Response(text, {
    headers: { "Content-Type": "text/yaml; charset=utf-8", "Content-Disposition": `attachment; filename="${slug}-quiz.yaml"`, "Cache-Control": "no-store" },
  });
}

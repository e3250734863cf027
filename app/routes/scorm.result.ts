import type { LoaderFunctionArgs } from "@remix-run/node";
import { launchResult, ScormError } from "#app/models/learning/scorm.server.ts";

// Read from the LMS's origin by the SCO, with no cookie: the token and the SCO's own key are the credential.
const CORS = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store", Vary: "Origin" };

/** A SCORM launch's result for the SCO that started it: status and score only (docs/decisions/031). */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  try {
    return Response.json(await launchResult(url.searchParams.get("t"), url.searchParams.get("k")), { headers: CORS });
  } catch (error) {
    if (error instanceof ScormError) return Response.json({ error: error.message }, { status: error.status, headers: CORS });
    throw error;
  }
}

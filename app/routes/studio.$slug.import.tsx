import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect, unstable_createMemoryUploadHandler as createMemoryUploadHandler, unstable_parseMultipartFormData as parseMultipartFormData } from "@remix-run/node";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { StudioError } from "#app/models/authoring/drafts.server.ts";
import { importZipAsDraft, MAX_ZIP_BYTES } from "#app/models/authoring/zip.server.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader() {
  throw new Response("Import a zip from the module's history page.", { status: 405 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const slug = params.slug ?? "";
  let file: File | null = null;
  try {
    const form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_ZIP_BYTES }));
    const value = form.get("zip");
    file = value instanceof File && value.size > 0 ? value : null;
  } catch {
    throw new Response("The zip must be a file of at most 1 MB sent from the history page's form.", { status: 400 });
  }
  if (!file) throw new Response("Choose a zip file to import.", { status: 400 });
  try {
    await importZipAsDraft(actor, slug, new Uint8Array(await file.arrayBuffer()));
  } catch (error) {
    if (error instanceof StudioError) throw new Response(error.message, { status: error.status });
    throw error;
  }
  return redirect(`/studio/${slug}`);
}

export default function ImportZip() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

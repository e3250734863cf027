import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, unstable_createMemoryUploadHandler as createMemoryUploadHandler, unstable_parseMultipartFormData as parseMultipartFormData } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ChoiceGroup, TextField } from "#app/components/ui/field.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { listImages, uploadImage } from "#app/models/authoring/uploaded-images.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { MAX_ALT_CHARS, MAX_IMAGE_BYTES } from "#app/utils/image-validation.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

type ActionData = { field: "file" | "alt"; message: string; alt: string; decorative: boolean } | { uploaded: string; existed: boolean };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  return { images: await listImages() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePlatformRole(request, "author");
  let form: FormData;
  try {
    // A part larger than the limit throws: the same refusal as checkImageBytes gives, before it is all read.
    form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_IMAGE_BYTES }));
  } catch {
    return data<ActionData>({ field: "file", message: `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB. Make it smaller and upload it again.`, alt: "", decorative: false }, { status: 400 });
  }
  const file = form.get("file");
  const alt = typeof form.get("alt") === "string" ? String(form.get("alt")) : "";
  const decorative = form.get("decorative") === "yes";
  if (!(file instanceof File) || file.size === 0) return data<ActionData>({ field: "file", message: "Choose an image file to upload.", alt, decorative }, { status: 400 });
  const result = await uploadImage({ bytes: new Uint8Array(await file.arrayBuffer()), originalName: file.name, alt, decorative, uploadedBy: user.id });
  if (!result.ok) return data<ActionData>({ field: result.field, message: result.message, alt, decorative }, { status: 400 });
  return data<ActionData>({ uploaded: result.hash, existed: result.existed });
}

export const meta: MetaFunction = () => [{ title: "Images – Studio – Distinct" }];

const snippet = (hash: string, alt: string) => `<Image hash="${hash}" alt="${alt.replace(/"/g, "&quot;")}" />`;

export default function StudioImagesPage() {
  const { images } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const failed = result && "field" in result ? result : null;
  const uploaded = result && "uploaded" in result ? images.find((i) => i.hash === result.uploaded) : null;
  return (
    <>
      <ErrorSummary errors={failed ? [{ href: failed.field === "file" ? "#image-file" : "#image-alt", message: failed.message }] : []} />
      <h1>Images</h1>
      <p className="lead">Upload an image once, then put it in any lesson with the snippet shown for it.</p>
      {uploaded && result && "uploaded" in result ? (
        <div className="notification notification--success" role="status">
          <p className="notification__title">{result.existed ? "This image was already uploaded" : "Image uploaded"}</p>
          <p>Copy this line into the lesson where the image belongs:</p>
          <pre>
            <code>{snippet(uploaded.hash, uploaded.alt)}</code>
          </pre>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate className="two-thirds">
        <div className={`form-group${failed?.field === "file" ? " form-group--error" : ""}`}>
          <label className="label" htmlFor="image-file">
            Image file
          </label>
          <div id="image-file-hint" className="hint">
            PNG, JPEG or SVG, at most {MAX_IMAGE_BYTES / 1024 / 1024} MB. SVG files with scripts, links to other files or embedded HTML are
            refused: export them again as plain SVG or PNG.
          </div>
          {failed?.field === "file" ? (
            <p id="image-file-error" className="error-message">
              <span className="visually-hidden">Error: </span>
              {failed.message}
            </p>
          ) : null}
          <input
            id="image-file"
            name="file"
            type="file"
            accept="image/png,image/jpeg,image/svg+xml"
            className="file-input"
            aria-describedby={`image-file-hint${failed?.field === "file" ? " image-file-error" : ""}`}
            aria-invalid={failed?.field === "file" || undefined}
          />
        </div>
        <TextField
          id="image-alt"
          name="alt"
          label="Alt text"
          hint={`What the image shows, for people who cannot see it (at most ${MAX_ALT_CHARS} characters). Leave empty only for a decorative image.`}
          defaultValue={failed?.alt ?? ""}
          maxLength={MAX_ALT_CHARS}
          errors={failed?.field === "alt" ? [failed.message] : undefined}
        />
        <ChoiceGroup
          id="image-decorative"
          legend="Is the image decorative?"
          type="checkbox"
          name="decorative"
          options={[{ value: "yes", label: "Decorative: it adds nothing to the text, so screen readers skip it" }]}
          defaultValue={failed?.decorative ? "yes" : undefined}
        />
        <Button type="submit" disabled={navigation.state === "submitting"}>
          Upload image
        </Button>
      </Form>

      <h2>Uploaded images</h2>
      {images.length === 0 ? (
        <p>No images have been uploaded yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Uploaded images" tabIndex={0}>
          <table>
            <caption>Uploaded images, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Image</th>
                <th scope="col">Alt text</th>
                <th scope="col">Snippet for a lesson</th>
                <th scope="col">Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {images.map((image) => (
                <tr key={image.hash}>
                  <td>
                    <img src={`/images/${image.hash}`} alt="" width={80} className="studio-thumb" />
                    <div className="small">{image.originalName}</div>
                  </td>
                  <td>{image.decorative ? "Decorative (no alt text)" : image.alt}</td>
                  <td>
                    <code className="snippet">{snippet(image.hash, image.alt)}</code>
                  </td>
                  <td>{formatDateTime(image.uploadedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

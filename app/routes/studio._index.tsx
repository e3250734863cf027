import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { createModule, listStudioModules, StudioError } from "#app/models/authoring/drafts.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { CreateModuleSchema, fieldErrors } from "#app/utils/studio-validation.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  return { modules: await listStudioModules() };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const parsed = CreateModuleSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  try {
    await createModule(actor, parsed.data);
  } catch (error) {
    if (error instanceof StudioError) return data({ errors: { slug: error.message } as Record<string, string> }, { status: 400 });
    throw error;
  }
  return redirect(`/studio/${parsed.data.slug}?created=1`);
}

export const meta: MetaFunction = () => [{ title: "Studio – Distinct" }];

const STATUS: Record<string, string> = { editing: "Draft being edited", in_review: "Waiting for review" };

export default function StudioIndex() {
  const { modules } = useLoaderData<typeof loader>();
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({ href: `#module-${field}`, message }));
  return (
    <>
      <ErrorSummary errors={summary} />
      <h1>Studio</h1>
      <p>Write, review and publish modules. A draft never changes what learners see; approving a review publishes a new version.</p>
      <div className="table-scroll">
        <table>
          <caption>Modules</caption>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">Published</th>
              <th scope="col">Draft</th>
              <th scope="col">Learners mid-way</th>
            </tr>
          </thead>
          <tbody>
            {modules.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/studio/${m.slug}`}>{m.title}</Link>
                  {m.retiredAt ? (
                    <>
                      {" "}
                      <Tag tone="neutral">Retired</Tag>
                    </>
                  ) : null}
                </td>
                <td>
                  {m.currentVersion ? (
                    <>
                      Version {m.currentVersion}
                      <br />
                      <span className="hint">
                        by {m.lastPublishedBy}, {m.lastPublishedAt ? formatDateTime(new Date(m.lastPublishedAt)) : ""}
                      </span>
                    </>
                  ) : (
                    "Not yet published"
                  )}
                </td>
                <td>
                  {m.draft ? (
                    <>
                      {STATUS[m.draft.status] ?? m.draft.status}
                      <br />
                      <span className="hint">
                        opened by {m.draft.heldBy}; last saved by {m.draft.updatedBy}, {formatDateTime(new Date(m.draft.updatedAt))}
                      </span>
                    </>
                  ) : (
                    "None"
                  )}
                </td>
                <td>
                  {m.learnersByVersion.length === 0
                    ? "None"
                    : m.learnersByVersion.map((l) => `version ${l.version}: ${l.learners}`).join("; ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Create a module</h2>
      <Form method="post" noValidate className="two-thirds">
        <input type="hidden" name="intent" value="create" />
        <TextField id="module-title" name="title" label="Title" errors={errors.title ? [errors.title] : undefined} />
        <TextField
          id="module-slug"
          name="slug"
          label="Address"
          hint="The module's web address, like /modules/online-stalking: lower-case words joined by hyphens. It cannot change later."
          spellCheck={false}
          errors={errors.slug ? [errors.slug] : undefined}
        />
        <Button>Create module</Button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

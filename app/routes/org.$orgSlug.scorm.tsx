import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { SelectField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { createScormPackage, revokeScormPackage, scormOverview } from "#app/models/learning/scorm.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { ScormActionSchema } from "#app/utils/scorm-validation.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  return { organisation, ...(await scormOverview(organisation.id)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const submission = parseWithZod(await request.formData(), { schema: ScormActionSchema });
  if (submission.status !== "success") return data({ error: Object.values(submission.error ?? {}).flat().find(Boolean) ?? "Check the form" }, { status: 400 });
  const v = submission.value;
  if (v.intent === "revoke") {
    invariantResponse(await revokeScormPackage(user, organisation.id, v.packageId), "There is no such package in this organisation.");
    return redirect(`/org/${organisation.slug}/scorm?revoked=1`);
  }
  const packageId = await createScormPackage(user, organisation.id, v.moduleVersionId);
  if (!packageId) return data({ error: "Choose a module version to export" }, { status: 400 });
  return redirect(`/org/${organisation.slug}/scorm?created=${packageId}`);
}

export const meta: MetaFunction = () => [{ title: "SCORM export – Distinct" }];

export default function ScormPage() {
  const { organisation, versions, packages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const created = packages.find((p) => p.id === params.get("created"));
  const base = `/org/${organisation.slug}/scorm`;
  return (
    <>
      <ErrorSummary errors={actionData?.error ? [{ href: "#moduleVersionId", message: actionData.error }] : []} />
      {created ? (
        <Notification tone="success" title="Package made">
          <p>
            <a href={`${base}/${created.id}/download`} download>
              Download the SCORM package for {created.title}, version {created.version}
            </a>
          </p>
        </Notification>
      ) : null}
      {params.get("revoked") ? <Notification tone="success" title="Package withdrawn: it no longer launches from any learning system" /> : null}
      <h1>SCORM export</h1>
      <p>
        Put a Distinct module into your force&apos;s learning system (Moodle, Totara, TalentLMS) as a SCORM 1.2 package. The package holds no lesson or
        question: it opens the module in Distinct, where the learner signs in, and sends their result back to the learning system (passed or failed, the
        score, and the time). Completions count in your reports here too. Only members of {organisation.name} can launch it.
      </p>
      <Form method="post" className="two-thirds">
        <input type="hidden" name="intent" value="export" />
        <SelectField
          id="moduleVersionId"
          name="moduleVersionId"
          label="Module version"
          hint="Learners take the module's current version in Distinct; the version names the package."
          errors={actionData?.error ? [actionData.error] : undefined}
          options={versions.map((v) => ({ value: v.id, label: `${v.title}, version ${v.version}${v.current ? " (current)" : ""}` }))}
        />
        <Button>Make a SCORM package</Button>
      </Form>

      <h2>Packages</h2>
      {packages.length === 0 ? (
        <p>No packages yet.</p>
      ) : (
        <DataTable caption={<>SCORM packages made for {organisation.name}</>} hideCaption columns={["Module", "Made", "Status", "Actions"]}>
          {packages.map((p) => (
            <tr key={p.id}>
              <td>
                {p.title}, version {p.version}
              </td>
              <td>
                {formatDate(p.createdAt)}
                {p.createdBy ? ` by ${p.createdBy}` : ""}
              </td>
              <td>{p.revokedAt ? `Withdrawn ${formatDate(p.revokedAt)}` : "Launches"}</td>
              <td>
                {p.revokedAt ? null : (
                  <>
                    <a href={`${base}/${p.id}/download`} download>
                      Download<span className="visually-hidden"> the package for {p.title}, version {p.version}</span>
                    </a>
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="packageId" value={p.id} />
                      <Button variant="secondary">
                        Withdraw<span className="visually-hidden"> the package for {p.title}, version {p.version}</span>
                      </Button>
                    </Form>
                  </>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

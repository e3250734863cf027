import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { ProblemList } from "#app/components/studio/problem-list.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { ChoiceGroup, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { studioModulePage, runModuleIntent } from "#app/models/authoring/module-page.server.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const page = await studioModulePage(params.slug ?? "", actor.id);
  invariantResponse(page, "There is no module at this address.");
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const slug = params.slug ?? "";
  const outcome = await runModuleIntent(actor, slug, await request.formData());
  if (outcome.kind === "redirect") return redirect(outcome.to);
  return data({ errors: outcome.errors, conflict: outcome.conflict ?? null }, { status: outcome.status });
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `${page.module.title} – Studio – Distinct` : "Module not found – Studio – Distinct" }];

const ORIGIN: Record<string, string> = { studio: "written in the studio", files: "proposed from files in content/", zip: "imported from a zip" };

export default function StudioModulePage() {
  const { module: mod, draft, problems, files, isSubmitter, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message }));
  return (
    <>
      <ErrorSummary errors={summary} />
      {notice ? <Notification tone="success" title={notice} /> : null}
      <span className="caption">Studio</span>
      <h1>{mod.title}</h1>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>Address</dt>
          <dd>/modules/{mod.slug}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Published</dt>
          <dd>{mod.currentVersion ? `Version ${mod.currentVersion}` : "Not yet published"}</dd>
        </div>
        <div className="summary-list__row">
          <dt>State</dt>
          <dd>{mod.retiredAt ? <Tag tone="neutral">Retired: hidden from the catalogue, records kept</Tag> : <Tag tone="success">In the catalogue</Tag>}</dd>
        </div>
      </dl>
      <p>
        <Link to={`/studio/${mod.slug}/history`}>History: every version, who wrote and reviewed it, compare, export</Link>
      </p>

      {draft ? (
        <section aria-labelledby="draft-heading">
          <h2 id="draft-heading">Draft</h2>
          <p>
            {draft.status === "in_review" ? (
              <Tag tone="info">Waiting for review</Tag>
            ) : (
              <Tag tone="warning">Being edited: learners do not see it</Tag>
            )}{" "}
            Opened by {draft.createdByName}, {ORIGIN[draft.origin] ?? draft.origin}. Last saved by {draft.updatedByName},{" "}
            {formatDateTime(new Date(draft.updatedAt))}
            {draft.lastChange ? ` (${draft.lastChange})` : ""}.
          </p>
          <h3>Files</h3>
          <ul>
            <li>
              <Link to={`/studio/${mod.slug}/details`}>Module details (title, summary, audience, outcomes…)</Link>
            </li>
            <li>
              <Link to={`/studio/${mod.slug}/questions`}>Questions: add, edit, reorder and retire; import or export the bank as YAML</Link>
            </li>
            {files.map((f) => (
              <li key={f.name}>
                <Link to={`/studio/${mod.slug}/files/${f.name}`}>{f.label}</Link>
                {f.problems > 0 ? ` – ${f.problems} problem${f.problems === 1 ? "" : "s"}` : ""}
              </li>
            ))}
          </ul>
          <h3>Problems</h3>
          <ProblemList slug={mod.slug} problems={problems} />

          {draft.status === "editing" ? (
            <>
              <h3>Add a lesson</h3>
              <Form method="post" noValidate className="two-thirds">
                <input type="hidden" name="intent" value="add-lesson" />
                <input type="hidden" name="draftId" value={draft.id} />
                <input type="hidden" name="revision" value={draft.revision} />
                <TextField id="title" name="title" label="Lesson title" errors={errors.title ? [errors.title] : undefined} />
                <TextField id="key" name="key" label="Lesson address" hint="Lower-case words joined by hyphens, like first-contact" spellCheck={false} errors={errors.key ? [errors.key] : undefined} />
                <Button variant="secondary">Add lesson</Button>
              </Form>

              <h3>Submit for review</h3>
              {problems.length > 0 ? <p>Fix the problems above first: a draft with problems cannot be published.</p> : null}
              <Form method="post" noValidate className="two-thirds">
                <input type="hidden" name="intent" value="submit" />
                <input type="hidden" name="draftId" value={draft.id} />
                <input type="hidden" name="revision" value={draft.revision} />
                <TextAreaField id="changeNote" name="changeNote" label="Change note" hint="What changed and why. Learners who completed an earlier version read it if the change is material." rows={3} errors={errors.changeNote ? [errors.changeNote] : undefined} />
                <ChoiceGroup
                  id="kind"
                  name="kind"
                  type="radio"
                  legend="Kind of change"
                  errors={errors.kind ? [errors.kind] : undefined}
                  options={[
                    { value: "material", label: "Material change", hint: "Changes what a learner must know: those who completed an earlier version are told what changed" },
                    { value: "correction", label: "Correction", hint: "A typo, link or wording: changes no record and prompts nobody" },
                  ]}
                />
                <Button>Submit for review</Button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="discard" />
                <input type="hidden" name="draftId" value={draft.id} />
                <Button variant="warning">Discard this draft</Button>
              </Form>
            </>
          ) : (
            <p>
              Submitted by {draft.submittedByName}
              {isSubmitter ? " (you): another author or an administrator must review it" : ""}.{" "}
              <Link to={`/studio/${mod.slug}/review`}>{isSubmitter ? "See the review" : "Review this draft"}</Link>
            </p>
          )}
        </section>
      ) : mod.currentVersion ? (
        <Form method="post">
          <input type="hidden" name="intent" value="open-draft" />
          <Button>Edit this module</Button>
        </Form>
      ) : null}

      <h2>Catalogue</h2>
      <Form method="post">
        <input type="hidden" name="intent" value={mod.retiredAt ? "restore" : "retire"} />
        <Button variant={mod.retiredAt ? "secondary" : "warning"}>{mod.retiredAt ? "Restore to the catalogue" : "Retire this module"}</Button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { DiffView } from "#app/components/studio/diff-view.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { acknowledgeUpdate, whatChanged } from "#app/models/authoring/updates.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requireUser } from "#app/services/session.server.ts";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await whatChanged(user.id, params.slug ?? "");
  invariantResponse(page, "Nothing has changed in this module that you need to read.");
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  invariantResponse(form.get("intent") === "acknowledge", "Unknown action: use the button on the page.", { status: 400 });
  invariantResponse(await acknowledgeUpdate(user.id, params.slug ?? ""), "There is no module at this address.");
  return redirect(`/modules/${params.slug ?? ""}?acknowledged=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `What changed – ${page.title} – Distinct` : "Nothing to read – Distinct" }];

const lessonName = (file: string) => (file === "index.mdx" ? "Overview" : file.replace(/^\d{2}-/, "").replace(/\.mdx$/, "").replace(/-/g, " "));

export default function WhatChangedPage() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        trail={[
          { to: "/learning", label: "My learning" },
          { to: `/modules/${page.slug}`, label: page.title },
        ]}
        current="What changed"
      />
      <h1>What changed in {page.title}</h1>
      <p>
        You completed version {page.completedVersion}. The module is now at version {page.currentVersion}. Your certificate still names the version you took.
      </p>
      <h2>Why it changed</h2>
      <ul>
        {page.notes.map((n) => (
          <li key={n.version}>
            Version {n.version}, {formatDate(n.publishedAt)} ({n.materialChange ? "material change" : "correction"}): {n.changeNote ?? "no note"}
          </li>
        ))}
      </ul>
      <h2>Lessons that changed</h2>
      {page.lessons.length === 0 ? <p>No lesson text changed.</p> : null}
      {page.lessons.map((l) => (
        <section key={l.file} aria-labelledby={`changed-${l.file}`}>
          <h3 id={`changed-${l.file}`}>{lessonName(l.file)}</h3>
          <DiffView parts={l.parts} label={`${lessonName(l.file)}: removed and added text`} />
        </section>
      ))}
      <Form method="post">
        <input type="hidden" name="intent" value="acknowledge" />
        <Button>I have read what changed</Button>
      </Form>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

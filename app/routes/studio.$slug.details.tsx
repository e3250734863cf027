import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { detailsPage, saveDetails } from "#app/models/authoring/details.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const page = await detailsPage(params.slug ?? "");
  invariantResponse(page, "This module has no open draft: open one from the module's studio page.");
  return { ...page, saved: new URL(request.url).searchParams.get("saved") === "1" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const slug = params.slug ?? "";
  const outcome = await saveDetails(actor, slug, await request.formData());
  if (outcome.ok) return redirect(`/studio/${slug}/details?saved=1`);
  return data(outcome, { status: outcome.status });
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `Details – ${page.moduleTitle} – Studio – Distinct` : "Not found – Studio – Distinct" }];

const LABELS: Record<string, string> = {
  title: "Title",
  summary: "Summary",
  audience: "Audience",
  outcomes: "Outcomes",
  durationMinutes: "Duration in minutes",
  order: "Position in the catalogue",
  certificateValidityMonths: "Certificate valid for (months)",
  overview: "Overview",
};

export default function DetailsPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result && !result.ok ? result.errors : {};
  const values = { ...page.fields, ...(result && !result.ok ? result.fields : {}) };
  const err = (name: string) => (errors[name] ? [errors[name]] : undefined);
  const summary = Object.entries(errors).map(([field, message]) => ({ href: `#details-${field}`, message: `${LABELS[field] ?? field}: ${message}` }));
  return (
    <>
      <Breadcrumbs trail={[{ to: `/studio/${page.slug}`, label: page.moduleTitle }]} current="Details" />
      <ErrorSummary errors={summary} />
      {page.saved ? <Notification tone="success" title="Saved. Learners see nothing until a review approves the draft." /> : null}
      <h1>Module details</h1>
      {page.fields === null ? (
        <p>
          The frontmatter of index.mdx cannot be read as fields. <Link to={`/studio/${page.slug}/files/index.mdx`}>Edit index.mdx itself</Link>.
        </p>
      ) : (
        <Form method="post" noValidate className="two-thirds" key={page.revision}>
          <input type="hidden" name="draftId" value={page.draftId} />
          <input type="hidden" name="revision" value={page.revision} />
          <TextField id="details-title" name="title" label={LABELS.title} defaultValue={values.title} errors={err("title")} />
          <TextAreaField id="details-summary" name="summary" label={LABELS.summary} hint="One or two sentences for the catalogue." rows={3} defaultValue={values.summary} errors={err("summary")} />
          <TextAreaField id="details-audience" name="audience" label={LABELS.audience} hint="One entry per line." rows={3} defaultValue={values.audience} errors={err("audience")} />
          <TextAreaField id="details-outcomes" name="outcomes" label={LABELS.outcomes} hint="One outcome per line, at most 10." rows={5} defaultValue={values.outcomes} errors={err("outcomes")} />
          <TextField id="details-durationMinutes" name="durationMinutes" label={LABELS.durationMinutes} inputMode="numeric" defaultValue={values.durationMinutes} errors={err("durationMinutes")} />
          <TextField id="details-order" name="order" label={LABELS.order} hint="Lower comes first; 100 if unsure." inputMode="numeric" defaultValue={values.order} errors={err("order")} />
          <TextField id="details-certificateValidityMonths" name="certificateValidityMonths" label={LABELS.certificateValidityMonths} hint="Leave empty for certificates that do not expire." inputMode="numeric" defaultValue={values.certificateValidityMonths} errors={err("certificateValidityMonths")} />
          <TextAreaField id="details-overview" name="overview" label={LABELS.overview} hint="The module's overview page, in Markdown." rows={12} className="textarea--code" defaultValue={values.overview} errors={err("overview")} />
          {page.status === "editing" ? <Button>Save details</Button> : <p>This draft is waiting for review: it cannot change until a reviewer returns it.</p>}
        </Form>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

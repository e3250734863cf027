import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { QuestionFormPage } from "#app/components/studio/question-form.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { questionFormPage, saveQuestion } from "#app/models/authoring/question-bank.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const page = await questionFormPage(params.slug ?? "", params.id ?? "", new URL(request.url).searchParams);
  invariantResponse(page, "This module's draft has no question with that id.");
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const outcome = await saveQuestion(actor, params.slug ?? "", params.id ?? "", await request.formData());
  if (outcome.kind === "redirect") return redirect(outcome.to);
  return data({ errors: outcome.errors, values: outcome.values }, { status: outcome.status });
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `Edit ${page.id} – ${page.moduleTitle} – Studio – Distinct` : "Question not found – Studio – Distinct" }];

export default function EditQuestionPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <QuestionFormPage page={page} result={result} current={page.id} heading={`Edit question ${page.id}`} submitLabel="Save the question">
      {page.retired ? (
        <p>
          <Tag tone="neutral">Retired</Tag> Not drawn for learners; saving keeps it retired. Restore it from the bank.
        </p>
      ) : null}
    </QuestionFormPage>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

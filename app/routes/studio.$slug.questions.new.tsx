import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { QuestionFormPage } from "#app/components/studio/question-form.tsx";
import { questionFormPage, saveQuestion } from "#app/models/authoring/question-bank.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const page = await questionFormPage(params.slug ?? "", null, new URL(request.url).searchParams);
  invariantResponse(page, "This module has no open draft with a readable question bank.");
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePlatformRole(request, "author");
  const outcome = await saveQuestion(actor, params.slug ?? "", null, await request.formData());
  if (outcome.kind === "redirect") return redirect(outcome.to);
  return data({ errors: outcome.errors, values: outcome.values }, { status: outcome.status });
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `Add a question – ${page.moduleTitle} – Studio – Distinct` : "Not found – Studio – Distinct" }];

export default function NewQuestionPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <QuestionFormPage page={page} result={result} current="Add a question" heading="Add a question" submitLabel="Add the question" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

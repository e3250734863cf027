import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { AttemptBreadcrumbs, AttemptReview } from "#app/components/attempt-review.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { ChoiceGroup } from "#app/components/ui/field.tsx";
import { getAttemptView, QuizNotFoundError, saveAnswers, submitAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { FOUR_ELEMENTS, FOUR_LABELS } from "#app/utils/offences.ts";
import { fieldName, fourFieldName, TamperedFormError } from "#app/utils/quiz.ts";
import { AttemptIntentSchema } from "#app/utils/learning-validation.ts";
import { requireUser } from "#app/services/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await getAttemptView(user.id, params.slug ?? "", params.attemptId ?? "");
  invariantResponse(view, "There is no attempt at this address.");
  return { view, justSubmitted: new URL(request.url).searchParams.has("submitted") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = AttemptIntentSchema.safeParse(form.get("intent"));
  invariantResponse(intent.success, "Unknown action: use the Save or Submit button.", { status: 400 });
  const attemptId = params.attemptId ?? "";
  try {
    if (intent.data === "save") {
      const saved = await saveAnswers(user.id, attemptId, form.entries());
      return data({ saved: saved === "saved", missing: [] as string[], formError: null as string | null });
    }
    const outcome = await submitAttempt(user.id, attemptId, form.entries());
    if (outcome.kind === "incomplete") {
      return data({ saved: true, missing: outcome.missing, formError: null }, { status: 400 });
    }
    return redirect(`/modules/${params.slug}/quiz/${attemptId}?submitted=1`);
  } catch (error) {
    if (error instanceof QuizNotFoundError) throw new Response("There is no attempt at this address.", { status: 404 });
    if (error instanceof TamperedFormError) {
      return data({ saved: false, missing: [] as string[], formError: `The answers could not be read: ${error.message} Reload the page and try again.` }, { status: 400 });
    }
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Assessment – Distinct" }];
  const { view } = data;
  return [
    {
      title:
        view.kind === "open"
          ? `Assessment, attempt ${view.attemptNumber} – ${view.moduleTitle} – Distinct`
          : `Result of attempt ${view.attemptNumber}: ${view.passed ? "passed" : "not passed"} – ${view.moduleTitle} – Distinct`,
    },
  ];
};

const MULTIPLE_HINT = "Choose all that apply. You get the mark only if you choose every right answer and none of the wrong ones.";

export default function AttemptPage() {
  const { view, justSubmitted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const autosave = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);

  if (view.kind === "submitted") return <AttemptReview view={view} justSubmitted={justSubmitted} />;

  const missing = new Set(actionData?.missing ?? []);
  const numberOf = new Map(view.questions.map((q, i) => [q.id, i + 1]));
  const errors = [
    ...(actionData?.formError ? [{ href: "#quiz-form", message: actionData.formError }] : []),
    ...[...missing].map((id) => ({ href: `#${fieldName(id)}`, message: `Answer question ${numberOf.get(id)}` })),
  ];
  // With JavaScript, answers are saved as they are chosen; without, the Save button does it.
  const onChange = () => {
    if (!formRef.current) return;
    const formData = new FormData(formRef.current);
    formData.set("intent", "save");
    autosave.submit(formData, { method: "post" });
  };
  const busy = navigation.state === "submitting";

  return (
    <>
      <ErrorSummary errors={errors} />
      <AttemptBreadcrumbs view={view} />
      <span className="caption">{view.moduleTitle}</span>
      <h1>Assessment: attempt {view.attemptNumber}</h1>
      <p className="two-thirds">
        Answer all {view.questions.length} questions, then submit. You need {view.passMark}% to pass. For each scenario,
        choose the offence the facts disclose, or “Not a crime”.
      </p>
      {actionData?.saved && !actionData.missing.length && navigation.state === "idle" ? (
        <div className="notification notification--success" role="status">
          <p className="notification__title">Your answers are saved. You can come back to finish later.</p>
        </div>
      ) : null}
      <Form method="post" id="quiz-form" ref={formRef} onChange={onChange} noValidate>
        {view.questions.map((q, index) => {
          const number = index + 1;
          return (
            <section key={q.id} className="quiz-question" aria-labelledby={`${fieldName(q.id)}-heading`}>
              <h2 id={`${fieldName(q.id)}-heading`} className="quiz-question__heading">
                Question {number} <span className="visually-hidden">of {view.questions.length}</span>
              </h2>
              {q.type === "classify" ? (
                <p className="quiz-question__scenario" id={`${fieldName(q.id)}-scenario`}>
                  {q.text}
                </p>
              ) : null}
              <ChoiceGroup
                id={fieldName(q.id)}
                name={fieldName(q.id)}
                type={q.type === "multiple" ? "checkbox" : "radio"}
                legend={q.type === "classify" ? "Which offence, if any, do these facts disclose?" : q.text}
                describedBy={q.type === "classify" ? `${fieldName(q.id)}-scenario` : undefined}
                hint={q.type === "multiple" ? MULTIPLE_HINT : undefined}
                errors={missing.has(q.id) ? [q.type === "multiple" ? `Choose at least one answer to question ${number}` : `Choose an answer to question ${number}`] : undefined}
                options={q.options}
                defaultValue={q.type === "multiple" ? (q.saved?.choices ?? []) : (q.saved?.choice ?? undefined)}
              />
              {q.askFour ? (
                <ChoiceGroup
                  id={fourFieldName(q.id)}
                  name={fourFieldName(q.id)}
                  type="checkbox"
                  legend="Which of the FOUR elements are present?"
                  hint="Tick all that apply, or none. Scored separately: it does not count towards the pass mark."
                  options={FOUR_ELEMENTS.map((e) => ({ value: e, label: FOUR_LABELS[e] }))}
                  defaultValue={q.saved?.four ?? []}
                />
              ) : null}
            </section>
          );
        })}
        <p className="secondary" aria-live="polite">
          {autosave.state !== "idle" ? "Saving your answers…" : autosave.data?.saved ? "All answers saved." : ""}
        </p>
        <div className="button-group">
          <Button name="intent" value="submit" disabled={busy}>
            Submit answers
          </Button>
          <Button name="intent" value="save" variant="secondary" disabled={busy}>
            Save and finish later
          </Button>
        </div>
      </Form>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

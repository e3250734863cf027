import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { NextAttempt } from "#app/components/attempt-review.tsx";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { AttemptNotAllowedError, QuizNotFoundError, quizOverview, startAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { StartAttemptSchema } from "#app/utils/learning-validation.ts";
import { requireUser } from "#app/services/session.server.ts";
import { AttemptsTable } from "#app/components/attempt-list.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const overview = await quizOverview(user.id, params.slug ?? "");
  if (!overview) {
    // Not started, or no assessment: the module page explains and offers the start button.
    throw redirect(`/modules/${params.slug}`);
  }
  return { overview };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = StartAttemptSchema.safeParse(Object.fromEntries(await request.formData()));
  invariantResponse(parsed.success, "Unknown action: use the button on the assessment page.", { status: 400 });
  try {
    const attemptId = await startAttempt(user.id, params.slug ?? "");
    return redirect(`/modules/${params.slug}/quiz/${attemptId}`);
  } catch (error) {
    if (error instanceof AttemptNotAllowedError) return data({ error: error.message }, { status: 400 });
    if (error instanceof QuizNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Assessment – ${data.overview.moduleTitle} – Distinct` : "Assessment – Distinct" },
];

export default function QuizOverviewPage() {
  const { overview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { settings } = overview;
  return (
    <>
      {actionData?.error ? <ErrorSummary errors={[{ href: "#start", message: actionData.error }]} /> : null}
      <Breadcrumbs
        trail={[
          { to: "/modules", label: "Modules" },
          { to: `/modules/${overview.slug}`, label: overview.moduleTitle },
        ]}
        current="Assessment"
      />
      <span className="caption">{overview.moduleTitle}</span>
      <h1>Assessment</h1>
      <div className="two-thirds">
        <p>
          {plural(settings.questionsPerAttempt, "question")}, most of them short scenarios: decide which offence, if any,
          the facts disclose. You need {settings.passMark}% to pass.
          {settings.maxAttempts ? ` You have ${plural(settings.maxAttempts, "attempt")}.` : ""}
          {settings.waitMinutes ? ` After a failed attempt, wait ${plural(settings.waitMinutes, "minute")} before the next.` : ""}
        </p>
        <p>
          Your answers are saved as you go: you can close the page and come back. A new attempt asks questions you have not been asked first; after a failed
          attempt, the review does not show the right answer to a question you may be asked again.
        </p>
        {overview.nextAttempt && !overview.openAttemptId ? <NextAttempt mix={overview.nextAttempt} /> : null}
        {!overview.lessonsComplete && !overview.moduleCompleted ? (
          <Notification title="You have lessons still to complete">
            <p>
              You can take the assessment now, but the module is only complete when you have also finished every lesson.{" "}
              <Link to={`/modules/${overview.slug}`}>See your lessons</Link>.
            </p>
          </Notification>
        ) : null}
        {overview.blocked ? (
          <Notification tone={overview.attempts.some((a) => a.passed) ? "success" : "warning"} title={overview.blocked} />
        ) : null}
      </div>
      <div id="start" className="button-group">
        {overview.openAttemptId ? (
          <ButtonLink to={`/modules/${overview.slug}/quiz/${overview.openAttemptId}`}>Continue your attempt</ButtonLink>
        ) : overview.canStart ? (
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <Button>{overview.attempts.length === 0 ? "Start the assessment" : "Start a new attempt"}</Button>
          </Form>
        ) : null}
      </div>

      <h2>Your attempts</h2>
      {overview.attempts.length === 0 ? (
        <p>You have not submitted an attempt yet.</p>
      ) : (
        <AttemptsTable attempts={overview.attempts} moduleSlug={overview.slug} caption="Your attempts at this assessment" submitted="date-time" />
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

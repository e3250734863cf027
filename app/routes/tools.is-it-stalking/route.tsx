import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData } from "@remix-run/react";
import type { AnswerRow } from "#app/components/decision-aid/answer-summary.tsx";
import { AidCheckAnswers } from "#app/components/decision-aid/check-answers.tsx";
import { useFocusHeadingOnNavigation } from "#app/components/decision-aid/navigation.tsx";
import { AidQuestion } from "#app/components/decision-aid/question.tsx";
import { AidResult } from "#app/components/decision-aid/result.tsx";
import { AidStart } from "#app/components/decision-aid/start.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import {
  AID_PATH,
  STEP_REQUIRED_MESSAGES,
  STEP_SUMMARY_LABELS,
  aidHref,
  answerLabels,
  exclusiveConflict,
  firstOpenPage,
  hiddenAnswers,
  lastStep,
  pageAfter,
  parseAidQuery,
  previousStep,
  progressCaption,
  prune,
  questionCount,
  stepById,
  type QueryAnswers,
} from "#app/routes/tools.is-it-stalking/query.ts";
import { DecisionFactsSchema, applicableSteps, decide, nextStep, type DecisionStepId } from "#app/utils/decision-aid.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { OFFENCE_LABELS } from "#app/utils/offences.ts";

// The query string is the whole state (see query.ts for the scheme and its zod schemas).

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = parseAidQuery(url.searchParams);
  invariantResponse(parsed.ok, parsed.ok ? "" : parsed.message, { status: 400 });
  const { answers, page, answered, returnToCheck, empty } = parsed.query;

  if (empty) return { page: "start" as const, startHref: aidHref({}, "occasions"), maxQuestions: questionCount({}).max };

  // A question's form was sent: check it was answered, then redirect to the
  // next page, so each page has one address and the back button skips the form.
  if (answered) {
    const reachable = firstOpenPage(answers, answered);
    if (reachable !== answered) throw redirect(aidHref(prune(answers), reachable, { returnToCheck }));
    const value = answers[answered];
    const error = value === undefined ? STEP_REQUIRED_MESSAGES[answered] : exclusiveConflict(stepById(answered), value);
    if (error) return data(question(answers, answered, returnToCheck, url.search, error), { status: 400 });
    const next = pageAfter(answers, answered, returnToCheck);
    throw redirect(aidHref(prune(answers), next, { returnToCheck }));
  }

  // Asking for a page whose earlier questions are unanswered (an edited or
  // old link) goes to the first question still to answer.
  const reachable = firstOpenPage(answers, page ?? "check");
  if (reachable !== page) throw redirect(aidHref(prune(answers), reachable, { returnToCheck }));

  if (reachable === "check") {
    const pruned = prune(answers);
    return {
      page: "check" as const,
      rows: answerRows(pruned, true),
      backHref: aidHref(pruned, lastStep(pruned)),
      resultHref: aidHref(pruned, "result"),
    };
  }
  if (reachable === "result") {
    const pruned = prune(answers);
    const facts = DecisionFactsSchema.safeParse(pruned);
    invariantResponse(facts.success, "These answers cannot be read. Start again.", { status: 400 });
    return {
      page: "result" as const,
      outcome: decide(facts.data),
      rows: answerRows(pruned, false),
      checkHref: aidHref(pruned, "check"),
      startHref: AID_PATH,
    };
  }
  return question(answers, reachable, returnToCheck, url.search);
}

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) => {
  const title = (text: string) => [{ title: `${text} – Is it stalking? – Distinct` }];
  if (!page) {
    return title(
      isRouteErrorResponse(error) && error.status === 400
        ? "Error: There is a problem with the answers in the address"
        : "Sorry, there is a problem",
    );
  }
  switch (page.page) {
    case "start":
      return [{ title: "Is it stalking? – Distinct" }];
    case "question":
      return title(`${page.error ? "Error: " : ""}Question ${page.number}: ${page.step.question}`);
    case "check":
      return title("Check your answers");
    case "result":
      return title(
        `${page.outcome.offence === "not-a-crime" ? "Likely outcome" : "Likely offence"}: ${OFFENCE_LABELS[page.outcome.offence].short}`,
      );
  }
};

export default function IsItStalking() {
  const page = useLoaderData<typeof loader>();
  useFocusHeadingOnNavigation();
  switch (page.page) {
    case "start":
      return <AidStart startHref={page.startHref} maxQuestions={page.maxQuestions} />;
    case "question":
      // Keyed by address: the radios are uncontrolled, and the next yes/no
      // question must not inherit this one's ticks.
      return (
        <AidQuestion
          key={page.formKey}
          action={AID_PATH}
          step={page.step}
          caption={page.caption}
          value={page.value}
          hidden={page.hidden}
          backHref={page.backHref}
          returnToCheck={page.returnToCheck}
          error={page.error}
        />
      );
    case "check":
      return <AidCheckAnswers rows={page.rows} backHref={page.backHref} resultHref={page.resultHref} />;
    case "result":
      return <AidResult outcome={page.outcome} rows={page.rows} checkHref={page.checkHref} startHref={page.startHref} />;
  }
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        400: ({ message }) => (
          <>
            <h1>There is a problem with the answers in the address</h1>
            <p>{message}</p>
            <p>The link may have been changed, or copied only in part.</p>
            <p>
              <Link to={aidHref({}, "occasions")}>Start again</Link>
            </p>
          </>
        ),
      }}
    />
  );
}

function question(answers: QueryAnswers, id: DecisionStepId, returnToCheck: boolean, search: string, error?: string) {
  const step = stepById(id);
  const previous = previousStep(answers, id);
  const value = answers[id];
  // From a "Change" link, "Back" returns to "Check your answers" (unless the
  // change opened new questions, which must be answered first).
  const backHref =
    returnToCheck && nextStep(prune(answers)) === null
      ? aidHref(prune(answers), "check")
      : previous
        ? aidHref(answers, previous, { returnToCheck })
        : AID_PATH;
  return {
    page: "question" as const,
    step,
    ...progressCaption(answers, id),
    value: value === undefined ? [] : Array.isArray(value) ? value : [value],
    hidden: hiddenAnswers(answers, id),
    backHref,
    returnToCheck,
    error,
    formKey: search,
  };
}

function answerRows(answers: QueryAnswers, change: boolean): AnswerRow[] {
  return applicableSteps(answers).map((step) => ({
    id: step.id,
    label: STEP_SUMMARY_LABELS[step.id],
    answer: answerLabels(step, answers[step.id]),
    changeHref: change ? aidHref(answers, step.id, { returnToCheck: true }) : undefined,
  }));
}

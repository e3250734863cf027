import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { ModuleUpdateNotice } from "#app/components/module-update-notice.tsx";
import { pendingUpdates } from "#app/models/authoring/updates.server.ts";
import { ProgressBar } from "#app/components/ui/progress-bar.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { NotFoundError, startModule } from "#app/models/learning/enrolment.server.ts";
import { moduleOverview } from "#app/models/learning/learner-view.server.ts";
import { formatDate, formatMinutes, plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { StartModuleSchema } from "#app/utils/learning-validation.ts";
import { getUser, requireUser } from "#app/services/session.server.ts";
import { AttemptsTable } from "#app/components/attempt-list.tsx";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const overview = await moduleOverview(params.slug ?? "", user?.id ?? null);
  invariantResponse(overview, "There is no module at this address.");
  const [update] = user ? await pendingUpdates(user.id, params.slug ?? "") : [];
  return { overview, signedIn: !!user, update: update ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = StartModuleSchema.safeParse(Object.fromEntries(await request.formData()));
  invariantResponse(parsed.success, "Unknown action.", { status: 400 });
  try {
    await startModule({ userId: user.id, slug: params.slug ?? "" });
    const overview = await moduleOverview(params.slug ?? "", user.id);
    return redirect(overview?.enrolment?.next ?? `/modules/${params.slug}`);
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response("There is no module at this address.", { status: 404 });
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.overview.title} – Distinct` : "Module not found – Distinct" },
];

export default function ModuleOverviewPage() {
  const { overview, signedIn, update } = useLoaderData<typeof loader>();
  const { enrolment, meta } = overview;
  return (
    <>
      <Breadcrumbs trail={[{ to: "/modules", label: "Modules" }]} current={overview.title} />
      <span className="caption">Module · version {overview.version}</span>
      <h1>{overview.title}</h1>
      <p className="lead two-thirds">{meta.summary}</p>
      {update ? <ModuleUpdateNotice update={update} showTitle={false} /> : null}

      {enrolment?.completedAt ? (
        <Notification tone="success" title={`You completed this module on ${formatDate(enrolment.completedAt)}`}>
          <p>
            You can read any lesson again. <Link to="/certificates">See your certificates</Link>.
          </p>
        </Notification>
      ) : null}
      {overview.newerVersion && enrolment && !enrolment.completedAt ? (
        <Notification title="A newer version of this module exists">
          <p>
            You started on version {overview.version}, so you will finish on it: your progress is kept. Version{" "}
            {overview.newerVersion.version} was published on {formatDate(overview.newerVersion.publishedAt)}.
          </p>
        </Notification>
      ) : null}

      {enrolment && !enrolment.completedAt ? (
        <ProgressBar
          id="module-progress"
          value={enrolment.lessonsDone}
          max={overview.lessons.length}
          label={`${enrolment.lessonsDone} of ${plural(overview.lessons.length, "lesson")} complete`}
        />
      ) : null}

      <div className="button-group">
        {!signedIn ? (
          <ButtonLink to={`/login?redirectTo=${encodeURIComponent(`/modules/${overview.slug}`)}`}>Sign in to start</ButtonLink>
        ) : !enrolment ? (
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <Button>Start module</Button>
          </Form>
        ) : enrolment.next ? (
          <ButtonLink to={enrolment.next}>{enrolment.lessonsDone === 0 ? "Start first lesson" : "Continue where you left off"}</ButtonLink>
        ) : null}
      </div>

      <dl className="summary-list">
        <SummaryRow label="Time needed">{formatMinutes(meta.durationMinutes)}</SummaryRow>
        <SummaryRow label="For">{meta.audience.join(", ")}</SummaryRow>
        {overview.hasQuiz ? (
          <SummaryRow label="Assessment">
            Scenario questions{meta.passMark ? `; pass mark ${meta.passMark}%` : ""}
            {overview.quizRequired ? ". You must pass to complete the module." : "."}
          </SummaryRow>
        ) : null}
        <SummaryRow label="Certificate">
          {meta.certificateValidityMonths
            ? `Valid for ${plural(meta.certificateValidityMonths, "month")}, then take the module again`
            : "Does not expire"}
        </SummaryRow>
      </dl>

      <h2>What you will learn</h2>
      <ul>
        {meta.outcomes.map((o) => (
          <li key={o}>{o}</li>
        ))}
      </ul>

      {overview.overviewHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: overview.overviewHtml }} /> : null}

      {overview.attempts.length > 0 ? (
        <>
          <h2>Your assessment attempts</h2>
          <AttemptsTable attempts={overview.attempts} moduleSlug={overview.slug} caption="Your attempts at this module's assessment" submitted="date" />
        </>
      ) : null}

      <h2>Lessons</h2>
      <ol className="task-list">
        {overview.lessons.map((lesson, index) => (
          <li key={lesson.key} className="task-list__item">
            <span className="task-list__name">
              {index + 1}.{" "}
              {signedIn ? <Link to={`/modules/${overview.slug}/${lesson.key}`}>{lesson.title}</Link> : lesson.title}{" "}
              <span className="secondary">({formatMinutes(lesson.minutes)})</span>
            </span>
            {enrolment ? lesson.completed ? <Tag tone="success">Completed</Tag> : <Tag>Not started</Tag> : null}
          </li>
        ))}
        {overview.hasQuiz ? (
          <li className="task-list__item">
            <span className="task-list__name">
              {signedIn && enrolment ? <Link to={`/modules/${overview.slug}/quiz`}>Assessment</Link> : "Assessment"}
            </span>
            {enrolment?.complete ? <Tag tone="success">Passed</Tag> : enrolment ? <Tag>Not passed yet</Tag> : null}
          </li>
        ) : null}
      </ol>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { DocumentHtml } from "#app/components/document-html.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ProgressBar } from "#app/components/ui/progress-bar.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { completeLesson, NotFoundError, startModule } from "#app/models/learning/enrolment.server.ts";
import { lessonView } from "#app/models/learning/learner-view.server.ts";
import { htmlForLoaderData } from "#app/services/document-html.server.ts";
import { formatMinutes } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { LessonActionSchema } from "#app/utils/learning-validation.ts";
import { requireUser } from "#app/services/session.server.ts";
import { Breadcrumbs } from "#app/components/ui/breadcrumbs.tsx";
import { PlainLink } from "#app/components/ui/plain-link.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await lessonView(params.slug ?? "", params.lesson ?? "", user.id);
  invariantResponse(view, "There is no lesson at this address.");
  // The lesson's HTML once per page, not again in the hydration data.
  return { ...view, html: htmlForLoaderData("lesson", view.html) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const slug = params.slug ?? "";
  const lessonKey = params.lesson ?? "";
  const parsed = LessonActionSchema.safeParse(Object.fromEntries(await request.formData()));
  invariantResponse(parsed.success, "Unknown action: use the buttons on the lesson page.", { status: 400 });
  try {
    if (parsed.data.intent === "start") {
      await startModule({ userId: user.id, slug });
      return redirect(`/modules/${slug}/${lessonKey}`);
    }
    const result = await completeLesson({ userId: user.id, slug, lessonKey });
    if (result.moduleCompleted) return redirect(`/modules/${slug}?completed=1`);
    if (result.next?.kind === "lesson") return redirect(`/modules/${slug}/${result.next.key}`);
    if (result.next?.kind === "quiz") return redirect(`/modules/${slug}/quiz`);
    return redirect(`/modules/${slug}`);
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lesson.title} – ${data.moduleTitle} – Distinct` : "Lesson not found – Distinct" },
];

export default function LessonPage() {
  const view = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const isLast = !view.next;
  return (
    <>
      <Breadcrumbs
        trail={[
          { to: "/modules", label: "Modules" },
          { to: `/modules/${view.slug}`, label: view.moduleTitle },
        ]}
        current={view.lesson.title}
      />
      {view.enrolled ? (
        <ProgressBar
          id="lesson-progress"
          value={view.lessonsDone}
          max={view.lessonsTotal}
          label={`${view.lessonsDone} of ${view.lessonsTotal} lessons complete`}
        />
      ) : null}
      <span className="caption">
        Lesson {view.lesson.number} of {view.lessonsTotal} · {formatMinutes(view.lesson.minutes)}
      </span>
      <h1>{view.lesson.title}</h1>
      <DocumentHtml name="lesson" id="lesson-body" className="prose" html={view.html} />

      <div className="no-print">
        {!view.enrolled ? (
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <p>Start this module to record your progress.</p>
            <Button disabled={busy}>Start module</Button>
          </Form>
        ) : view.moduleCompleted ? (
          <p>
            <Tag tone="success">Module completed</Tag>
          </p>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="complete" />
            {view.completed ? (
              <p>
                <Tag tone="success">Lesson completed</Tag>
              </p>
            ) : null}
            <Button disabled={busy}>
              {view.completed
                ? isLast
                  ? view.hasQuiz
                    ? "Continue to the assessment"
                    : "Continue"
                  : "Continue to the next lesson"
                : isLast
                  ? view.hasQuiz
                    ? "Mark complete and go to the assessment"
                    : "Mark complete and finish"
                  : "Mark complete and continue"}
            </Button>
          </Form>
        )}

        <nav className="pagination" aria-label="Lessons">
          {view.previous ? (
            <PlainLink to={`/modules/${view.slug}/${view.previous.key}`} rel="prev">
              <span>← Previous lesson</span>
              <span className="pagination__label">{view.previous.title}</span>
            </PlainLink>
          ) : (
            <span />
          )}
          {view.next ? (
            <PlainLink to={`/modules/${view.slug}/${view.next.key}`} rel="next">
              <span>Next lesson →</span>
              <span className="pagination__label">{view.next.title}</span>
            </PlainLink>
          ) : null}
        </nav>

        <details className="lesson-contents">
          <summary>All lessons in this module</summary>
          <ol>
            {view.lessons.map((l) => (
              <li key={l.key}>
                <PlainLink to={`/modules/${view.slug}/${l.key}`} aria-current={l.key === view.lesson.key ? "page" : undefined}>
                  {l.title}
                </PlainLink>
                {l.completed ? <span className="secondary"> (completed)</span> : null}
              </li>
            ))}
          </ol>
        </details>
      </div>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

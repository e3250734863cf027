import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { ButtonLink } from "#app/components/ui/button.tsx";
import { ProgressBar } from "#app/components/ui/progress-bar.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { learningHome } from "#app/models/enrolment.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { requireUser } from "#app/utils/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const home = await learningHome(user.id);
  return { name: user.name, ...home };
}

export const meta: MetaFunction = () => [{ title: "My learning – Distinct" }];

export default function LearningPage() {
  const { name, inProgress, completed } = useLoaderData<typeof loader>();
  const resume = inProgress[0];
  return (
    <>
      <span className="caption">{name}</span>
      <h1>My learning</h1>

      {resume ? (
        <section className="panel" aria-labelledby="resume-title">
          <h2 id="resume-title" className="panel__heading">
            Continue where you left off
          </h2>
          <p>
            <strong>{resume.title}</strong>: next, {resume.continueLabel.toLowerCase() === "the assessment" ? "the assessment" : `“${resume.continueLabel}”`}.
          </p>
          <ButtonLink to={resume.continueTo}>Continue</ButtonLink>
        </section>
      ) : null}

      <h2>In progress</h2>
      {inProgress.length === 0 ? (
        <p>
          You have no modules in progress. <Link to="/modules">Choose a module</Link> to start.
        </p>
      ) : (
        <ul className="card-list">
          {inProgress.map((item) => (
            <li key={item.enrolmentId} className="card">
              <h3>
                <Link to={`/modules/${item.slug}`}>{item.title}</Link>
              </h3>
              <p className="card__meta">
                Version {item.version} · started {formatDate(item.startedAt)}
              </p>
              <ProgressBar
                id={`progress-${item.enrolmentId}`}
                value={item.lessonsDone}
                max={item.lessonsTotal}
                label={`${item.lessonsDone} of ${item.lessonsTotal} lessons complete`}
              />
              <p>
                <Link to={item.continueTo}>
                  Continue<span className="visually-hidden"> {item.title}</span>: {item.continueLabel}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}

      <h2>Completed</h2>
      {completed.length === 0 ? (
        <p>You have not completed a module yet.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Completed modules</caption>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Version</th>
                <th scope="col">Completed</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {completed.map((item) => (
                <tr key={item.enrolmentId}>
                  <td>
                    <Link to={`/modules/${item.slug}`}>{item.title}</Link>
                  </td>
                  <td>{item.version}</td>
                  <td>{formatDate(item.completedAt)}</td>
                  <td>
                    <Tag tone="success">Completed</Tag>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

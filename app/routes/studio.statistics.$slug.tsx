import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { moduleQuestionStatistics } from "#app/models/reporting/question-statistics.server.ts";
import { SUPPRESSION_THRESHOLD } from "#app/utils/confusion.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { FLAG_WORDS, round2 } from "#app/utils/question-statistics.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

const SlugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(100);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  const slug = SlugSchema.safeParse(params.slug);
  invariantResponse(slug.success, "A module's address is lower-case words joined by hyphens.", { status: 400 });
  const statistics = await moduleQuestionStatistics(slug.data);
  invariantResponse(statistics, `There is no module “${slug.data}”.`);
  return { statistics };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Question statistics: ${data?.statistics.title ?? "module"} – Studio – Distinct` },
];

const typeWords = { classify: "Which offence", single: "One answer", multiple: "Choose all" } as const;
const figure = (x: number | null) => (x === null ? "Not measurable" : round2(x).toFixed(2));

export default function ModuleStatisticsPage() {
  const { statistics } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print">
        <Link to="/studio/statistics">← All modules</Link>
      </p>
      <h1>Question statistics: {statistics.title}</h1>
      <p>
        <strong>Facility</strong> is the share of attempts that answered the question correctly. <strong>Discrimination</strong> is the
        correlation (from −1 to 1) between getting this question right and the score on the attempt&rsquo;s other questions: near 0, the
        question does not separate strong attempts from weak ones; below 0, weak attempts do better on it. Only submitted attempts count.
      </p>
      {statistics.versions.length === 0 ? <p>This module has no published version.</p> : null}
      {statistics.versions.map((v) => {
        const flagged = v.questions.filter((q) => !q.figures.withheld && q.figures.flags.length > 0).length;
        return (
          <section key={v.version} aria-labelledby={`version-${v.version}`}>
            <h2 id={`version-${v.version}`}>
              Version {v.version}, published {formatDate(v.publishedAt)}
            </h2>
            <p>
              {plural(v.attempts, "submitted attempt")}; {plural(flagged, "question")} flagged.
            </p>
            <div className="table-scroll" role="region" aria-label={`Questions of version ${v.version}`} tabIndex={0}>
              <table>
                <caption>Questions of version {v.version}, in the order of the bank</caption>
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col">Times drawn</th>
                    <th scope="col">Facility</th>
                    <th scope="col">Discrimination</th>
                    <th scope="col">Most chosen wrong answer</th>
                    <th scope="col">Flags</th>
                  </tr>
                </thead>
                <tbody>
                  {v.questions.map((q) => (
                    <tr key={q.questionId}>
                      <th scope="row">
                        <code>{q.questionId}</code>
                        <div className="small">
                          {typeWords[q.type]}: {q.text}
                        </div>
                      </th>
                      {q.figures.withheld ? (
                        <td colSpan={5}>Withheld: drawn fewer than {SUPPRESSION_THRESHOLD} times</td>
                      ) : (
                        <>
                          <td>{q.figures.drawn}</td>
                          <td>{figure(q.figures.facility)}</td>
                          <td>{figure(q.figures.discrimination)}</td>
                          <td>
                            {q.figures.wrong && q.wrongLabel ? (
                              <>
                                {q.type === "classify" ? "Offence chosen instead: " : ""}
                                {q.wrongLabel} ({plural(q.figures.wrong.count, "time")})
                              </>
                            ) : (
                              "No wrong answers"
                            )}
                          </td>
                          <td>
                            {q.figures.flags.length === 0 ? (
                              "None"
                            ) : (
                              <ul>
                                {q.figures.flags.map((flag) => (
                                  <li key={flag}>
                                    <Tag tone="warning">{FLAG_WORDS[flag]}</Tag>
                                  </li>
                                ))}
                              </ul>
                            )}
                          </td>
                        </>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { statisticsModules } from "#app/models/reporting/question-statistics.server.ts";
import { SUPPRESSION_THRESHOLD } from "#app/utils/confusion.ts";
import { plural } from "#app/utils/format.ts";
import { DISCRIMINATION_LOW, FACILITY_HIGH, FACILITY_LOW } from "#app/utils/question-statistics.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  return { modules: await statisticsModules() };
}

export const meta: MetaFunction = () => [{ title: "Question statistics – Studio – Distinct" }];

export default function StatisticsIndexPage() {
  const { modules } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Question statistics</h1>
      <p className="lead">
        How each quiz question performs, per module version: how often it is drawn, how many get it right, and whether it separates strong
        attempts from weak ones.
      </p>
      <p>
        A question is flagged when its facility is below {FACILITY_LOW} or above {FACILITY_HIGH}, or its discrimination below{" "}
        {DISCRIMINATION_LOW}. Figures for a question drawn fewer than {SUPPRESSION_THRESHOLD} times are withheld.
      </p>
      {modules.length === 0 ? (
        <p>There are no modules yet.</p>
      ) : (
        <ul>
          {modules.map((m) => (
            <li key={m.slug}>
              <Link to={`/studio/statistics/${m.slug}`}>{m.title}</Link> ({plural(m.versions, "version")}
              {m.retired ? ", retired" : ""})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

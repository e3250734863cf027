import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ModuleCard } from "#app/components/module-card.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { learningHome } from "#app/models/learning/enrolment.server.ts";
import { listCatalogue, moduleCard } from "#app/models/learning/module.server.ts";
import { getUser } from "#app/services/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const [catalogue, learning] = await Promise.all([listCatalogue(), user ? learningHome(user.id) : null]);
  const status = new Map<string, "completed" | "in-progress">();
  for (const item of learning?.completed ?? []) status.set(item.slug, "completed");
  for (const item of learning?.inProgress ?? []) status.set(item.slug, "in-progress");
  return {
    modules: catalogue.map((m) => ({
      ...moduleCard(m),
      status: status.get(m.slug) ?? null,
    })),
  };
}

export const meta: MetaFunction = () => [{ title: "Modules – Distinct" }];

export default function ModulesPage() {
  const { modules } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Modules</h1>
      <p className="lead two-thirds">
        Short modules with scenario questions. Take them in order if you are new to stalking; each stands on its own.
      </p>
      {modules.length === 0 ? (
        <p>No modules have been published yet.</p>
      ) : (
        <ul className="card-list">
          {modules.map((m) => (
            <ModuleCard
              key={m.slug}
              headingLevel={2}
              module={m}
              status={
                m.status === "completed" ? (
                  <p>
                    <Tag tone="success">Completed</Tag>
                  </p>
                ) : m.status === "in-progress" ? (
                  <p>
                    <Tag tone="info">In progress</Tag>
                  </p>
                ) : null
              }
            />
          ))}
        </ul>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

import { Link } from "@remix-run/react";
import { formatMinutes, plural } from "#app/utils/format.ts";

export type ModuleCardData = {
  slug: string;
  title: string;
  summary: string;
  durationMinutes: number;
  lessons: number;
  hasQuiz: boolean;
};

/** `headingLevel`: 2 where the cards sit right under the page's h1 (no level may be skipped). */
export function ModuleCard({ module, status, headingLevel = 3 }: { module: ModuleCardData; status?: React.ReactNode; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <li className="card">
      <Heading className="card__title">
        <Link to={`/modules/${module.slug}`}>{module.title}</Link>
      </Heading>
      <p className="card__meta">
        {formatMinutes(module.durationMinutes)} · {plural(module.lessons, "lesson")}
        {module.hasQuiz ? " · scenario quiz" : ""}
      </p>
      <p>{module.summary}</p>
      {status}
    </li>
  );
}

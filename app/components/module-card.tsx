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

export function ModuleCard({ module, status }: { module: ModuleCardData; status?: React.ReactNode }) {
  return (
    <li className="card">
      <h3>
        <Link to={`/modules/${module.slug}`}>{module.title}</Link>
      </h3>
      <p className="card__meta">
        {formatMinutes(module.durationMinutes)} · {plural(module.lessons, "lesson")}
        {module.hasQuiz ? " · scenario quiz" : ""}
      </p>
      <p>{module.summary}</p>
      {status}
    </li>
  );
}

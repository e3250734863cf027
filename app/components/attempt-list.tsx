import { Link } from "@remix-run/react";
import { formatDate, formatDateTime } from "#app/utils/format.ts";
import { Tag } from "./ui/tag.tsx";
import { DataTable } from "./ui/table.tsx";

/** A submitted assessment attempt as the learner's lists show it. */
export type SubmittedAttemptView = { id: string; attemptNumber: number; submittedAt: Date | string | null; score: number | null; passed: boolean | null };

/**
 * The learner's submitted attempts at a module's assessment, each with its
 * score, result and a link to its review. The module page shows the day
 * (`submitted="date"`); the assessment page the day and time.
 */
export function AttemptsTable({
  attempts,
  moduleSlug,
  caption,
  submitted,
}: {
  attempts: SubmittedAttemptView[];
  moduleSlug: string;
  caption: string;
  submitted: "date" | "date-time";
}) {
  const when = submitted === "date" ? formatDate : formatDateTime;
  return (
    <DataTable caption={caption} hideCaption columns={["Attempt", "Submitted", { label: "Score", numeric: true }, "Result", "Review"]}>
      {attempts.map((a) => (
        <tr key={a.id}>
          <td>{a.attemptNumber}</td>
          <td>{when(a.submittedAt)}</td>
          <td className="numeric">{a.score}%</td>
          <td>{a.passed ? <Tag tone="success">Passed</Tag> : <Tag tone="danger">Not passed</Tag>}</td>
          <td>
            <Link to={`/modules/${moduleSlug}/quiz/${a.id}`}>
              Review<span className="visually-hidden"> attempt {a.attemptNumber}</span>
            </Link>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

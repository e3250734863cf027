import { STATUS_LABELS, type AssignmentStatus } from "#app/utils/assignment-status.ts";
import { Tag, type TagTone } from "./ui/tag.tsx";

const assignmentTones: Record<AssignmentStatus, TagTone> = {
  "not-started": "neutral",
  "in-progress": "info",
  overdue: "danger",
  completed: "success",
  expired: "warning",
};

export function AssignmentStatusTag({ status }: { status: AssignmentStatus }) {
  return <Tag tone={assignmentTones[status]}>{STATUS_LABELS[status]}</Tag>;
}

const personWords = { invited: ["Invited", "info"], active: ["Active", "success"], left: ["Left", "neutral"] } as const;

export function PersonStatusTag({ status }: { status: "invited" | "active" | "left" }) {
  const [word, tone] = personWords[status];
  return <Tag tone={tone}>{word}</Tag>;
}

export const roleLabel = (role: string) => (role === "admin" ? "Training lead" : "Learner");

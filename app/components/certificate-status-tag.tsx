import type { CertificateStatus } from "#app/utils/certificate-status.ts";
import { Tag } from "./ui/tag.tsx";

const labels: Record<CertificateStatus, { tone: "success" | "warning" | "danger"; text: string }> = {
  valid: { tone: "success", text: "Valid" },
  expiring: { tone: "warning", text: "Expires soon" },
  expired: { tone: "danger", text: "Expired" },
  revoked: { tone: "danger", text: "Revoked" },
};

export function CertificateStatusTag({ status }: { status: CertificateStatus }) {
  const label = labels[status];
  return <Tag tone={label.tone}>{label.text}</Tag>;
}

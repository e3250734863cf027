/**
 * The mails the platform sends: their kinds, and the one layout every mail
 * uses. Pure (no I/O): models fill a template and enqueue the result through
 * app/models/platform/email.server.ts, the only code that writes the outbox.
 */

/** Every kind of mail, as stored in email_outbox.kind (the admin outbox filters by it). */
export const MAIL_KINDS = [
  "verify-email",
  "reset-password",
  "invitation",
  "no-seat",
  "assignment",
  "assignment-due-soon",
  "assignment-overdue",
  "overdue-digest",
  "weekly-report-export",
  "seat-request",
  "seat-request-handled",
  "magic-link",
] as const;
export type MailKind = (typeof MAIL_KINDS)[number] | `certificate-expiry-${string}`;

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** A plain, accessible mail: a heading, paragraphs and at most one action link. */
export function composeEmail(parts: {
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}): { text: string; html: string } {
  const footer = parts.footer ?? "Distinct: stalking, harassment and malicious communications training.";
  const text = [
    parts.heading,
    "",
    ...parts.paragraphs.flatMap((p) => [p, ""]),
    ...(parts.action ? [`${parts.action.label}: ${parts.action.url}`, ""] : []),
    "--",
    footer,
  ].join("\n");
  const html = `<!doctype html><html lang="en-GB"><body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c">
<h1 style="font-size:22px">${escapeHtml(parts.heading)}</h1>
${parts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${parts.action ? `<p><a href="${escapeHtml(parts.action.url)}" style="color:#1d4f91;font-weight:bold">${escapeHtml(parts.action.label)}</a></p><p style="font-size:14px">Or copy this address into your browser: ${escapeHtml(parts.action.url)}</p>` : ""}
<hr><p style="font-size:14px;color:#505a5f">${escapeHtml(footer)}</p></body></html>`;
  return { text, html };
}

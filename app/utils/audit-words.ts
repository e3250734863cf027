/** Audit actions in plain words, for the audit log pages. */
const words: Record<string, string> = {
  "organisation.created": "Organisation created",
  "person.invited": "Invited",
  "person.invitation-resent": "Invitation sent again",
  "person.invitation-revoked": "Invitation withdrawn",
  "person.joined": "Joined",
  "person.role-changed": "Role changed",
  "person.updated": "Details changed",
  "person.removed": "Removed",
  "people.imported": "Staff imported from a file",
  "team.created": "Team created",
  "team.renamed": "Team renamed",
  "team.deleted": "Team deleted",
  "assignment.created": "Module assigned",
  "assignment.withdrawn": "Assignment withdrawn",
  "assignment.extended": "Due date extended",
  "certificate.revoked": "Certificate revoked",
  "certificate.reinstated": "Certificate reinstated",
  "licence.granted": "Licence granted",
  "licence.extended": "Licence extended",
  "licence.changed": "Licence changed",
  "licence.ended": "Licence ended",
  "seat-request.created": "More seats asked for",
  "seat-request.changed": "Request for more seats changed",
  "seat-request.handled": "Request for more seats handled",
  "reports.weekly-export-on": "Weekly report e-mail turned on",
  "reports.weekly-export-off": "Weekly report e-mail turned off",
  "person.anonymised": "Details anonymised",
  "organisation.retention-changed": "Retention period changed",
  "account.deleted": "Account deleted by its holder",
  "sso.configured": "Single sign-on set up or changed",
  "sso.removed": "Single sign-on removed",
};

export const auditWords = (action: string) => words[action] ?? action;

/** The details of an event as short "key: value" text. */
export function auditDetails(details: Record<string, unknown> | null): string {
  if (!details) return "";
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join("; ");
}

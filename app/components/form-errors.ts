import type { SummaryError } from "./ui/error-summary.tsx";

type FieldLike = { id: string; errors?: string[] };

/**
 * The GOV.UK error summary's list from conform's state: the form's own errors
 * first (they link to the summary itself), then each field's first error,
 * linking to the field.
 */
export function summaryErrors(formErrors: string[] | undefined, fields: FieldLike[]): SummaryError[] {
  return [
    ...(formErrors ?? []).map((message) => ({ href: "#main", message })),
    ...fields.filter((f) => f.errors?.length).map((f) => ({ href: `#${f.id}`, message: f.errors?.[0] ?? "" })),
  ];
}

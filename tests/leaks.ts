import type { Question } from "#app/content/schema.ts";

/**
 * Invariant 1's detector: what of an unsubmitted attempt's answer keys shows
 * up in `payload` (HTML, loader JSON, or JavaScript). Explanations and option
 * feedback are found by their text; answer flags by their keys.
 * Returns a description of each leak (empty: none).
 */
export function findLeaks(payload: string, questions: Question[], keys: "json" | "strings" | "none" = "json"): string[] {
  const leaks: string[] = [];
  const text = payload
    .replace(/\\u0027/g, "'")
    .replace(/\\"/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  for (const q of questions) {
    if (text.includes(q.explanation.slice(0, 60))) leaks.push(`explanation of ${q.id}`);
    const feedback = q.type === "classify" ? Object.values(q.feedback ?? {}) : q.options.flatMap((o) => (o.feedback ? [o.feedback] : []));
    for (const f of feedback) if (f && text.includes(f.slice(0, 60))) leaks.push(`option feedback of ${q.id}`);
  }
  // Answer flags are found by their key: in JSON as `"key":`; in single-fetch
  // (turbo-stream) data and the HTML that inlines it, keys are bare strings.
  // JavaScript is code that may name these properties, so only text counts there.
  if (keys !== "none") {
    for (const key of ['"correct"', '"answer"', '"explanation"', '"feedback"', '"facts"', '"present"', '"right"']) {
      if (text.includes(keys === "json" ? `${key}:` : key)) leaks.push(`key ${key}`);
    }
  }
  return leaks;
}

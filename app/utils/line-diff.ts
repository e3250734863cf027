/** One run of lines in a diff: unchanged, only in the new text, or only in the old. */
export type DiffPart = { kind: "same" | "added" | "removed"; lines: string[] };

const MAX_CELLS = 4_000_000;

/**
 * A line diff by longest common subsequence. Lessons are a few hundred lines,
 * so the table stays small; past MAX_CELLS it says "all replaced" instead of
 * spending seconds on a pathological pair.
 */
export function diffLines(before: string, after: string): DiffPart[] {
  const a = before === "" ? [] : before.split("\n");
  const b = after === "" ? [] : after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], line: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.lines.push(line);
    else parts.push({ kind, lines: [line] });
  };
  for (let i = 0; i < start; i++) push("same", a[i] ?? "");
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    for (const line of midA) push("removed", line);
    for (const line of midB) push("added", line);
  } else {
    const n = midA.length;
    const m = midB.length;
    const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        const row = table[i] as Uint32Array;
        const below = table[i + 1] as Uint32Array;
        row[j] = midA[i] === midB[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        push("same", midA[i] ?? "");
        i++;
        j++;
      } else if ((table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0)) {
        push("removed", midA[i++] ?? "");
      } else {
        push("added", midB[j++] ?? "");
      }
    }
    while (i < n) push("removed", midA[i++] ?? "");
    while (j < m) push("added", midB[j++] ?? "");
  }
  for (let i = endA; i < a.length; i++) push("same", a[i] ?? "");
  return parts;
}

export const hasChanges = (parts: DiffPart[]) => parts.some((p) => p.kind !== "same");

/** Turns rendered lesson HTML into plain lines of text, so a diff shows what a learner reads. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/h[1-6]|\/li|\/tr|\/blockquote|\/div|\/dt|\/dd|\/figcaption)[^>]*>/gi, "\n")
    .replace(/<li[^>]*>/gi, "• ")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "")
    .join("\n");
}

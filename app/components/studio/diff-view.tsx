import type { DiffPart } from "#app/utils/line-diff.ts";

const CONTEXT = 2;

/**
 * A line diff as text: removed lines struck through with "−", added with "+",
 * long unchanged runs folded. Marked with <del>/<ins> and a sign, never colour alone.
 */
export function DiffView({ parts, label }: { parts: DiffPart[]; label: string }) {
  return (
    <div className="diff" role="group" aria-label={label}>
      {parts.map((part, index) => {
        if (part.kind === "added") return <ins key={index}>{part.lines.join("\n")}</ins>;
        if (part.kind === "removed") return <del key={index}>{part.lines.join("\n")}</del>;
        const first = index === 0;
        const last = index === parts.length - 1;
        const head = first ? [] : part.lines.slice(0, CONTEXT);
        const tail = last ? [] : part.lines.slice(-CONTEXT);
        const hidden = part.lines.length - head.length - tail.length;
        if (hidden <= 1) return <span key={index} className="diff__same">{part.lines.join("\n")}</span>;
        return (
          <span key={index} className="diff__same">
            {head.length ? `${head.join("\n")}\n` : ""}
            <span className="diff__skip">… {hidden} unchanged lines …</span>
            {tail.join("\n")}
          </span>
        );
      })}
    </div>
  );
}

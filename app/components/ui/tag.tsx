export type TagTone = "neutral" | "info" | "success" | "warning" | "danger";

const icons: Record<TagTone, string> = {
  neutral: "○",
  info: "◐",
  success: "✓",
  warning: "!",
  danger: "✗",
};

/** A status as words with an icon: never colour alone. */
export function Tag({ tone = "neutral", children }: { tone?: TagTone; children: string }) {
  return (
    <strong className={`tag tag--${tone}`}>
      <span aria-hidden="true" className="tag__icon">
        {icons[tone]}
      </span>{" "}
      {children}
    </strong>
  );
}

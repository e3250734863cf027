/** A labelled progress bar: the words say the figure, the bar shows it. */
export function ProgressBar({ value, max, label, id }: { value: number; max: number; label: string; id: string }) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div className="progress">
      <p className="progress__label" id={`${id}-label`}>
        {label}
      </p>
      <progress className="progress__bar" id={id} value={value} max={max} aria-labelledby={`${id}-label`}>
        {percent}%
      </progress>
    </div>
  );
}

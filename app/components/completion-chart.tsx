import type { CompletionPoint } from "#app/utils/views/completion.ts";
import { DataTable } from "./ui/table.tsx";

const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" });
const longMonthFormat = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const monthDate = (month: string) => new Date(`${month}-01T00:00:00Z`);
export const monthName = (month: string) => longMonthFormat.format(monthDate(month));

/**
 * Completion over time as a server-rendered SVG bar chart (no JavaScript),
 * with the same figures as a table for screen readers and anyone who wants
 * the numbers. The bars are the share of assigned modules completed by each
 * month's end; the figure over each bar says it in text, so colour carries
 * nothing on its own.
 */
export function CompletionChart({ series, id }: { series: CompletionPoint[]; id: string }) {
  const width = 720;
  const height = 260;
  const left = 44;
  const bottom = 36;
  const top = 24;
  const plotHeight = height - top - bottom;
  const slot = (width - left - 8) / Math.max(1, series.length);
  const barWidth = Math.min(40, slot * 0.6);
  const y = (percent: number) => top + plotHeight - (percent / 100) * plotHeight;
  const first = series[0];
  const last = series[series.length - 1];
  const description =
    first && last
      ? `Share of assigned modules completed, by month: ${first.percent}% at the end of ${monthName(first.month)}, ${last.percent}% at the end of ${monthName(last.month)}. The table below gives every month.`
      : "No months to show.";
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="chart__caption">
        Completion over the last 12 months
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart__svg" focusable="false">
        <title id={`${id}-title`}>Completion over the last 12 months</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {[0, 25, 50, 75, 100].map((tick) => (
          <g key={tick} aria-hidden="true">
            <line x1={left} x2={width - 4} y1={y(tick)} y2={y(tick)} className="chart__grid" />
            <text x={left - 6} y={y(tick) + 4} className="chart__axis" textAnchor="end">
              {tick}%
            </text>
          </g>
        ))}
        {series.map((point, i) => {
          const x = left + slot * i + (slot - barWidth) / 2;
          const month = monthDate(point.month);
          const label = monthFormat.format(month) + (i === 0 || month.getUTCMonth() === 0 ? ` ${String(month.getUTCFullYear()).slice(2)}` : "");
          return (
            <g key={point.month} aria-hidden="true">
              <rect x={x} y={y(point.percent)} width={barWidth} height={Math.max(0, y(0) - y(point.percent))} className="chart__bar" />
              <text x={x + barWidth / 2} y={y(point.percent) - 5} className="chart__value" textAnchor="middle">
                {Math.round(point.percent)}%
              </text>
              <text x={x + barWidth / 2} y={height - bottom + 18} className="chart__axis" textAnchor="middle">
                {label}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="chart__table">
        <summary>The figures as a table</summary>
        <DataTable
          caption="Completion by month"
          scrollRegion={{ "aria-label": "Completion by month" }}
          columns={["Month", { label: "Completed that month", numeric: true }, { label: "Completed by the month’s end", numeric: true }, { label: "Share of assigned modules", numeric: true }]}
        >
          {series.map((point) => (
            <tr key={point.month}>
              <th scope="row">{monthName(point.month)}</th>
              <td className="numeric">{point.completions.toLocaleString("en-GB")}</td>
              <td className="numeric">{point.cumulative.toLocaleString("en-GB")}</td>
              <td className="numeric">{point.percent}%</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  );
}

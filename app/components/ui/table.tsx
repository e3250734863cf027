import type { ReactNode } from "react";

/** A column heading: its text, or its text and whether the column holds numbers (right-aligned). */
export type TableColumn = string | { label: ReactNode; numeric?: boolean; key?: string; className?: string };

/**
 * The markup every list in the product shares: a table in a box that scrolls
 * sideways on a narrow screen, its caption (read out first; `hideCaption` when
 * a heading above already says it) and one row of column headings.
 * `scrollRegion` makes the box a focusable, named region, for wide tables a
 * keyboard user must be able to scroll (WCAG 2.1.1).
 */
export function DataTable({
  caption,
  columns,
  children,
  hideCaption,
  captionId,
  id,
  scrollRegion,
}: {
  caption: ReactNode;
  columns: TableColumn[];
  children: ReactNode;
  hideCaption?: boolean;
  captionId?: string;
  id?: string;
  scrollRegion?: { "aria-label": string } | { "aria-labelledby": string };
}) {
  return (
    <div className="table-scroll" id={id} {...(scrollRegion ? { role: "region", tabIndex: 0, ...scrollRegion } : {})}>
      <table>
        <caption id={captionId} className={hideCaption ? "visually-hidden" : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column, i) =>
              typeof column === "string" ? (
                <th key={i} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.key ?? i} scope="col" className={[column.numeric ? "numeric" : "", column.className ?? ""].filter(Boolean).join(" ") || undefined}>
                  {column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

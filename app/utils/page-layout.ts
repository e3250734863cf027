/**
 * A route that shows wide tables (reports, lists of people) exports
 * `handle = wideLayout`, and the root layout then lets its main column use the
 * whole window instead of the 960 px reading measure. Text inside such a page
 * keeps its own measure (`two-thirds`).
 */
export const wideLayout = { layout: "wide" } as const;

export function wantsWideLayout(handle: unknown): boolean {
  return typeof handle === "object" && handle !== null && "layout" in handle && handle.layout === "wide";
}

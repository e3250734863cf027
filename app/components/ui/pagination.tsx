import { Link } from "@remix-run/react";

/** Previous and next page links with "Page n of m", for any paged list. */
export function Pagination({
  page,
  pages,
  href,
  label,
  previous = "← Previous",
  next = "Next →",
}: {
  page: number;
  pages: number;
  href: (page: number) => string;
  label: string;
  previous?: string;
  next?: string;
}) {
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? <Link to={href(page - 1)}>{previous}</Link> : <span />}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link to={href(page + 1)}>{next}</Link> : <span />}
    </nav>
  );
}

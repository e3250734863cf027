import { Link } from "@remix-run/react";

export type ProblemView = { file: string; line: number; column: number; message: string };

/**
 * The checker's problems (the same as `npm run content:check`), each linking
 * to its file's editor at line:column.
 */
export function ProblemList({ slug, problems, id = "problems" }: { slug: string; problems: ProblemView[]; id?: string }) {
  if (problems.length === 0) return <p id={id}>No problems: the checker accepts this draft.</p>;
  return (
    <ul className="problem-list" id={id}>
      {problems.map((p, index) => (
        <li key={`${p.file}:${p.line}:${index}`}>
          {p.file === "module" ? (
            <>module: {p.message}</>
          ) : (
            <>
              <Link to={`/studio/${slug}/files/${p.file}?line=${p.line}&column=${p.column}#editor`}>
                {p.file}:{p.line}:{p.column}
              </Link>{" "}
              {p.message}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A row of a staff list left out for want of a seat (line in the file, who, why). */
export type LeftOutRowView = { line: number; email: string; name: string; reason: string };

/** The rows "apply the rows that fit" leaves out (or left out), in file order. */
export function LeftOutRowsTable({ rows, caption, id }: { rows: LeftOutRowView[]; caption: string; id: string }) {
  return (
    <div className="table-scroll" id={id}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line}>
              <td>{r.line}</td>
              <td>{r.name}</td>
              <td>{r.email}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

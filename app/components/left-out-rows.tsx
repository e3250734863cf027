import { DataTable } from "./ui/table.tsx";

/** A row of a staff list left out for want of a seat (line in the file, who, why). */
export type LeftOutRowView = { line: number; email: string; name: string; reason: string };

/** The rows "apply the rows that fit" leaves out (or left out), in file order. */
export function LeftOutRowsTable({ rows, caption, id }: { rows: LeftOutRowView[]; caption: string; id: string }) {
  return (
    <DataTable id={id} caption={caption} columns={["Line", "Name", "Email", "Reason"]}>
      {rows.map((r) => (
        <tr key={r.line}>
          <td>{r.line}</td>
          <td>{r.name}</td>
          <td>{r.email}</td>
          <td>{r.reason}</td>
        </tr>
      ))}
    </DataTable>
  );
}

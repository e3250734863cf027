import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "#app/components/ui/pagination.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Tag, type TagTone } from "#app/components/ui/tag.tsx";
import { listOutbox, OUTBOX_PAGE_SIZE } from "#app/models/platform/outbox.server.ts";
import { formatDateTime, plural } from "#app/utils/format.ts";
import { ListQuerySchema } from "#app/utils/admin-validation.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "admin");
  const url = new URL(request.url);
  const query = ListQuerySchema.parse({ page: url.searchParams.get("page") ?? 1, q: url.searchParams.get("q") ?? "" });
  const { rows, total } = await listOutbox({ page: query.page, search: query.q || undefined });
  return { rows, total, page: query.page, q: query.q, pages: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)) };
}

export const meta: MetaFunction = () => [{ title: "Email outbox – Distinct" }];

const statusTone: Record<string, TagTone> = { pending: "info", sent: "success", logged: "neutral", failed: "danger" };
const statusWord: Record<string, string> = { pending: "Waiting", sent: "Sent", logged: "Kept (no SMTP)", failed: "Failed" };

export default function OutboxPage() {
  const { rows, total, page, pages, q } = useLoaderData<typeof loader>();
  const link = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <>
      <h1>Email outbox</h1>
      <p>
        Every email goes through the outbox. With SMTP configured it is sent and retried on failure; without, it is kept
        here and written to the server log.
      </p>
      <Form method="get" role="search" className="no-print">
        <TextField id="outbox-search" name="q" label="Search by recipient or subject" defaultValue={q} type="search" />
        <Button variant="secondary">Search</Button>
      </Form>
      <DataTable caption={<>{plural(total, "email")}{q ? ` matching “${q}”` : ""}, newest first</>} columns={["Queued", "To", "Subject", "Status"]}>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{formatDateTime(row.createdAt)}</td>
            <td>{row.recipient}</td>
            <td>
              <Link to={`/admin/outbox/${row.id}`}>{row.subject}</Link>
            </td>
            <td>
              <Tag tone={statusTone[row.status] ?? "neutral"}>{statusWord[row.status] ?? row.status}</Tag>
              {row.lastError ? <div className="small secondary">{row.lastError}</div> : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={page} pages={pages} href={link} label="Outbox pages" previous="← Newer" next="Older →" />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

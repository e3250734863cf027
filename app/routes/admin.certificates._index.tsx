import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CertificateStatusTag } from "#app/components/certificate-status-tag.tsx";
import { Pagination } from "#app/components/ui/pagination.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { CERTIFICATE_PAGE_SIZE, searchCertificates } from "#app/models/learning/certificate.server.ts";
import { ListQuerySchema } from "#app/utils/admin-validation.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "admin");
  const url = new URL(request.url);
  const query = ListQuerySchema.parse({ page: url.searchParams.get("page") ?? 1, q: url.searchParams.get("q") ?? "" });
  const { rows, total } = await searchCertificates({ q: query.q, page: query.page });
  return { rows, total, q: query.q, page: query.page, pages: Math.max(1, Math.ceil(total / CERTIFICATE_PAGE_SIZE)) };
}

export const meta: MetaFunction = () => [{ title: "Certificates – Administration – Distinct" }];

export default function AdminCertificatesPage() {
  const { rows, total, q, page, pages } = useLoaderData<typeof loader>();
  const link = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <>
      <h1>Certificates</h1>
      <Form method="get" role="search">
        <TextField id="certificate-search" name="q" type="search" label="Search by code, name, email or module" defaultValue={q} />
        <Button variant="secondary">Search</Button>
      </Form>
      <DataTable
        caption={<>{plural(total, "certificate")}{q ? ` matching “${q}”` : ""}, newest first</>}
        columns={["Code", "Learner", "Module", "Issued", "Status"]}
      >
        {rows.map((c) => (
          <tr key={c.id}>
            <td>
              <Link to={`/admin/certificates/${c.formattedCode}`} className="certificate-code">
                {c.formattedCode}
              </Link>
            </td>
            <td>
              {c.learnerName}
              <div className="small secondary">{c.email}</div>
            </td>
            <td>
              {c.moduleTitle} (v{c.moduleVersion})
            </td>
            <td>{formatDate(c.issuedAt)}</td>
            <td>
              <CertificateStatusTag status={c.status} />
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={page} pages={pages} href={link} label="Certificate pages" previous="← Newer" next="Older →" />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

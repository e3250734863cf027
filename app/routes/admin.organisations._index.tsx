import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ButtonLink } from "#app/components/ui/button.tsx";
import { listOrganisations } from "#app/models/organisations/organisation.server.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "admin");
  return { organisations: await listOrganisations() };
}

export const meta: MetaFunction = () => [{ title: "Organisations – Administration – Distinct" }];

export default function AdminOrganisationsPage() {
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Organisations</h1>
      <ButtonLink to="/admin/organisations/new">Add an organisation</ButtonLink>
      <DataTable
        caption={plural(organisations.length, "organisation")}
        columns={["Organisation", "Email domains", { label: "Members", numeric: true }, { label: "Invited", numeric: true }, "Added", "Licences"]}
      >
        {organisations.map((o) => (
          <tr key={o.id}>
            <td>
              <Link to={`/org/${o.slug}`}>{o.name}</Link>
            </td>
            <td>{o.domains.length ? o.domains.join(", ") : "None"}</td>
            <td className="numeric">{o.active.toLocaleString("en-GB")}</td>
            <td className="numeric">{o.invited.toLocaleString("en-GB")}</td>
            <td>{formatDate(o.createdAt)}</td>
            <td>
              <Link to={`/admin/organisations/${o.id}/licences`}>
                Licences<span className="visually-hidden"> of {o.name}</span>
              </Link>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

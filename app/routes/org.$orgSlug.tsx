import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { requireOrgRole } from "#app/utils/org-permissions.server.ts";

// The training lead's area of one organisation. Each child page checks access itself too.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation, platformAdmin } = await requireOrgRole(request, params.orgSlug, "admin");
  return { organisation, platformAdmin };
}

const sections = [
  ["", "Overview"],
  ["people", "People"],
  ["teams", "Teams"],
  ["assignments", "Assignments"],
  ["reports", "Reports"],
  ["billing", "Seats and billing"],
  ["audit", "Audit log"],
] as const;

export default function OrganisationLayout() {
  const { organisation, platformAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="caption">
        {organisation.name}
        {platformAdmin ? " (you are viewing as a platform administrator)" : ""}
      </span>
      <nav aria-label={`${organisation.name} training`} className="sub-nav">
        <ul>
          {sections.map(([path, label]) => (
            <li key={path}>
              <NavLink to={`/org/${organisation.slug}${path ? `/${path}` : ""}`} end={path === ""}>
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

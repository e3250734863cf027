import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requirePlatformRole } from "#app/services/session.server.ts";

// Trust staff only. Each admin page checks its own role too (loaders run in parallel).
// Authors are shown only the pages they may open (Insight); the rest are for platform admins.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePlatformRole(request, "author");
  return { isAdmin: user.role === "admin" };
}

export default function AdminLayout() {
  const { isAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Administration" className="breadcrumbs">
        <ol>
          <li>
            <NavLink to="/admin" end>
              Administration
            </NavLink>
          </li>
          <li>
            <NavLink to="/admin/insight">Insight</NavLink>
          </li>
          <li>
            <NavLink to="/studio">Studio</NavLink>
          </li>
          {isAdmin ? (
            <>
              <li>
                <NavLink to="/admin/organisations">Organisations</NavLink>
              </li>
              <li>
                <NavLink to="/admin/seat-requests">Seat requests</NavLink>
              </li>
              <li>
                <NavLink to="/admin/certificates">Certificates</NavLink>
              </li>
              <li>
                <NavLink to="/admin/outbox">Email outbox</NavLink>
              </li>
            </>
          ) : null}
        </ol>
      </nav>
      <Outlet />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

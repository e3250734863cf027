import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { requirePlatformRole } from "#app/services/session.server.ts";

// Trust authors and platform admins. Each studio page checks the role too (loaders run in parallel).
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "author");
  return null;
}

export default function StudioLayout() {
  return (
    <>
      <nav aria-label="Studio" className="breadcrumbs">
        <ol>
          <li>
            <NavLink to="/studio" end>
              Studio
            </NavLink>
          </li>
          <li>
            <NavLink to="/studio/statistics">Question statistics</NavLink>
          </li>
          <li>
            <NavLink to="/studio/images">Images</NavLink>
          </li>
        </ol>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { PaymentFailedBanner } from "#app/components/seat-summary.tsx";
import { seatSummary } from "#app/models/billing/licence.server.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";

// The training lead's area of one organisation. Each child page checks access itself too.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation, platformAdmin } = await requireOrgRole(request, params.orgSlug, "admin");
  const seats = await seatSummary(organisation.id);
  return { organisation, platformAdmin, paymentFailed: seats.paymentFailed };
}

const sections = [
  ["", "Overview"],
  ["people", "People"],
  ["teams", "Teams"],
  ["assignments", "Assignments"],
  ["reports", "Reports"],
  ["scorm", "SCORM export"],
  ["billing", "Seats and billing"],
  ["retention", "Data retention"],
  ["sso", "Single sign-on"],
  ["audit", "Audit log"],
] as const;

export default function OrganisationLayout() {
  const { organisation, platformAdmin, paymentFailed } = useLoaderData<typeof loader>();
  // The billing page explains the failed payment itself.
  const onBillingPage = useLocation().pathname.endsWith("/billing");
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
      {/* A failed card payment warns on every page of the area; it locks nobody out. */}
      {paymentFailed && !onBillingPage ? <PaymentFailedBanner orgSlug={organisation.slug} /> : null}
      <Outlet />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

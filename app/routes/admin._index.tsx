import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { countOpenSeatRequests } from "#app/models/billing/seat-request.server.ts";
import { plural } from "#app/utils/format.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePlatformRole(request, "author");
  const isAdmin = user.role === "admin";
  return { name: user.name, isAdmin, openSeatRequests: isAdmin ? await countOpenSeatRequests() : 0 };
}

export const meta: MetaFunction = () => [{ title: "Administration – Distinct" }];

export default function AdminHome() {
  const { name, isAdmin, openSeatRequests } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="caption">{name}</span>
      <h1>Administration</h1>
      <ul className="card-list card-list--two">
        {isAdmin ? (
          <li className="card">
            <h2>
              <Link to="/admin/organisations">Organisations</Link>
            </h2>
            <p>Forces and agencies: add one with its first training lead, see members, and manage licences.</p>
          </li>
        ) : null}
        {isAdmin ? (
          <li className="card">
            <h2>
              <Link to="/admin/seat-requests">Seat requests</Link>
            </h2>
            <p>
              {openSeatRequests ? `${plural(openSeatRequests, "request")} open. ` : "None open. "}
              Training leads asking for more seats; mark each handled with a note, which is emailed to them.
            </p>
          </li>
        ) : null}
        {isAdmin ? (
          <li className="card">
            <h2>
              <Link to="/admin/certificates">Certificates</Link>
            </h2>
            <p>Find any certificate by code, learner or module; revoke or reinstate it, with the reason audited.</p>
          </li>
        ) : null}
        {isAdmin ? (
          <li className="card">
            <h2>
              <Link to="/admin/outbox">Email outbox</Link>
            </h2>
            <p>Every email the platform has sent or kept, with its status. Without SMTP configured, mail stays here.</p>
          </li>
        ) : null}
        <li className="card">
          <h2>
            <Link to="/admin/insight">Insight</Link>
          </h2>
          <p>
            Which offences learners confuse and which scenarios they most often misclassify, with completion across
            {isAdmin ? " every organisation" : " all organisations (totals only)"}.
          </p>
        </li>
        <li className="card">
          <h2>
            <Link to="/modules">Modules</Link>
          </h2>
          <p>The published curriculum. Authors change it in the content folder; each change becomes a new version.</p>
        </li>
      </ul>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

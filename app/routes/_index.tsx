import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ModuleCard } from "#app/components/module-card.tsx";
import { ButtonLink } from "#app/components/ui/button.tsx";
import { listCatalogue, moduleCard } from "#app/models/learning/module.server.ts";
import { getUser } from "#app/services/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, catalogue] = await Promise.all([getUser(request), listCatalogue()]);
  return {
    signedIn: !!user,
    modules: catalogue.map(moduleCard),
  };
}

export const meta: MetaFunction = () => [{ title: "Distinct: tell stalking apart – training for police and partner agencies" }];

export default function Home() {
  const { signedIn, modules } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero">
        <h1>Tell stalking apart</h1>
        <p className="lead">
          Training for police officers, police staff and partner agencies in England and Wales: recognise stalking, tell
          it apart from harassment and malicious communications, and record and respond to each correctly.
        </p>
        <div className="button-group">
          {signedIn ? (
            <ButtonLink to="/learning">Go to my learning</ButtonLink>
          ) : (
            <>
              <ButtonLink to="/signup">Create an account</ButtonLink>
              <ButtonLink to="/login" variant="secondary">
                Sign in
              </ButtonLink>
            </>
          )}
        </div>
      </section>

      <h2>Why this training exists</h2>
      <div className="two-thirds">
        <p>
          The national statistics merge stalking, harassment and malicious communications into one figure. Inspections
          found forces treating stalking as a series of isolated incidents and charging it as harassment. Getting it
          right starts with the person who takes the call or attends the scene.
        </p>
        <p>
          Each module ends with scenario questions. Pass, and you get a certificate that anyone can check at{" "}
          <Link to="/verify">Check a certificate</Link>.
        </p>
      </div>

      <h2>Modules</h2>
      {modules.length === 0 ? (
        <p>No modules have been published yet.</p>
      ) : (
        <ul className="card-list card-list--two">
          {modules.map((m) => (
            <ModuleCard key={m.slug} module={m} />
          ))}
        </ul>
      )}

      <h2>On a call now?</h2>
      <p>
        Use the <Link to="/tools/is-it-stalking">“Is it stalking?” decision aid</Link>: a few questions about what has
        happened, the likely offence, what to record and the safeguarding steps.
      </p>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

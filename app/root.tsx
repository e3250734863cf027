import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "./components/error-boundary.tsx";
import { ClientNavigation } from "./components/ui/plain-link.tsx";
import { SiteFooter, SiteHeader } from "./components/layout.tsx";
import { getUser } from "#app/services/session.server.ts";
import { useNonce } from "./utils/nonce-provider.tsx";
import { wantsWideLayout } from "./utils/page-layout.ts";
import stylesHref from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.ico", sizes: "48x48" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Distinct: stalking, harassment and malicious communications training" },
  { name: "description", content: "Training for police and partner agencies in England and Wales to tell stalking apart from harassment and malicious communications." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return { user: user ? { id: user.id, name: user.name, role: user.role } : null };
}

export type RootLoaderData = Awaited<ReturnType<typeof loader>>;

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const wide = useMatches().some((match) => wantsWideLayout(match.handle));
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#13294b" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        <SiteHeader user={data?.user ?? null} />
        <div className={wide ? "page-width page-width--wide site-main" : "page-width site-main"}>
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <>
      <ClientNavigation />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

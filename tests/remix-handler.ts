import path from "node:path";
import { UNSAFE_flatRoutes } from "@remix-run/dev";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { runWithRequestContext } from "#app/services/request-context.server.ts";
import { installRouteMatchCache } from "#app/services/route-matching.server.ts";

/**
 * The app's real Remix request handler, assembled in the test process from
 * the source route files (so integration tests share the test database the
 * file opened): routing, nested loaders, actions, error boundaries and
 * document rendering exactly as the server runs them. The route table is
 * discovered with Remix's own flat-routes convention, not copied by hand.
 * The assets manifest only names script files: no browser runs here.
 */
const appDirectory = path.resolve(import.meta.dirname, "..", "app");

export type DiscoveredRoute = { id: string; parentId: string | undefined; path: string | undefined; index: boolean; file: string };

export function discoverRoutes(): DiscoveredRoute[] {
  const manifest = UNSAFE_flatRoutes(appDirectory, ["**/.*", "**/*.test.{ts,tsx}"]);
  return Object.values(manifest).map((r) => ({ id: r.id, parentId: r.parentId ?? "root", path: r.path, index: !!r.index, file: r.file }));
}

/** The URL pattern of a route: its own path joined to its parents'. */
export function fullPattern(route: DiscoveredRoute, all: DiscoveredRoute[]): string {
  const parts: string[] = [];
  let current: DiscoveredRoute | undefined = route;
  while (current) {
    if (current.path) parts.unshift(current.path);
    const parentId: string | undefined = current.parentId;
    current = parentId && parentId !== "root" ? all.find((r) => r.id === parentId) : undefined;
  }
  return `/${parts.join("/")}`;
}

export async function createAppHandler(): Promise<(request: Request) => Promise<Response>> {
  // As app/server.ts does first: the tests exercise route matching as the server runs it (ADR 040, 044).
  installRouteMatchCache();
  const discovered = discoverRoutes();
  const routes: ServerBuild["routes"] = {
    root: { id: "root", path: "", module: await import(path.join(appDirectory, "root.tsx")) },
  };
  const assetRoutes: ServerBuild["assets"]["routes"] = {
    root: { id: "root", path: "", module: "/build/root.js", hasAction: false, hasLoader: true, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: true },
  };
  for (const r of discovered) {
    const module = await import(path.join(appDirectory, r.file));
    routes[r.id] = { id: r.id, parentId: r.parentId, path: r.path, index: r.index || undefined, module };
    assetRoutes[r.id] = {
      id: r.id,
      parentId: r.parentId,
      path: r.path,
      index: r.index || undefined,
      module: `/build/${r.id}.js`,
      hasAction: "action" in module,
      hasLoader: "loader" in module,
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: "ErrorBoundary" in module,
    };
  }
  const build: ServerBuild = {
    mode: "production",
    entry: { module: await import(path.join(appDirectory, "entry.server.tsx")) },
    routes,
    assets: { entry: { imports: [], module: "/build/entry.client.js" }, routes: assetRoutes, url: "/build/manifest.js", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: true, unstable_optimizeDeps: false } as ServerBuild["future"],
    isSpaMode: false,
  };
  const handle = createRequestHandler(build, "production");
  return (request) => {
    // Express passes the Host header on; Remix's CSRF check for actions needs it.
    if (!request.headers.has("host")) request.headers.set("host", new URL(request.url).host);
    const cookies: string[] = [];
    // As app/server.ts: a request that is not single fetch's `.data` may render a page.
    const document = !new URL(request.url).pathname.endsWith(".data");
    return runWithRequestContext({ clientAddress: "203.0.113.7", document, appendSetCookie: (c) => cookies.push(c) }, async () => {
      const response = await handle(request);
      for (const c of cookies) response.headers.append("Set-Cookie", c);
      return response;
    });
  };
}

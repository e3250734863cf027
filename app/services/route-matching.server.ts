import { createRequire } from "node:module";

/**
 * Route matching remembered per route table and address (issue 18, ADR 040).
 *
 * `matchRoutes` of @remix-run/router flattens the whole route table, scores
 * and sorts every branch and compiles a regular expression per branch on
 * every call; a page request calls it four times (Remix's request handler,
 * the static handler, React Router's `useRoutes` and the lazy-discovery
 * manifest). With 84 routes that was a quarter of the CPU of a signed-in page
 * with no loader (`npm run bench profile`). The answer depends only on the
 * table's shape (each route's id, path, index and case flag, and its
 * children) and the address, so it is kept by those: a table built anew for
 * each request (React Router's) of the same shape reuses it, and each call
 * gets fresh match objects holding the routes of the table it passed.
 *
 * Three of the four calls go through the package's exports object, which is
 * where `installRouteMatchCache` puts the cached function; the static
 * handler's own call is internal to the package and stays as it is.
 */

export type RouteLike = { id?: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: RouteLike[] };
export type RouteMatchLike = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: RouteLike };
export type MatchRoutes = (routes: RouteLike[], location: string | { pathname?: string }, basename?: string) => RouteMatchLike[] | null;

/** What is kept of one answer: the matched routes by id, and the rest as plain values. */
type Kept = { ids: string[]; params: Record<string, string | undefined>; pathnames: string[]; bases: string[] } | null;
type Shape = { key: string; byId: Map<string, RouteLike> };

/** Addresses kept per table shape; past it the oldest goes (addresses carry ids, so they are unbounded). */
export const ADDRESSES_PER_SHAPE = 2_000;
/** Table shapes kept (one per build in practice; more only while tests build tables of their own). */
const SHAPES = 16;

/**
 * The route table's shape as a string, and its routes by id; null where a
 * route has no id or two share one (then nothing is cached for that table).
 */
function describe(routes: RouteLike[]): Shape | null {
  const parts: string[] = [];
  const byId = new Map<string, RouteLike>();
  const walk = (list: RouteLike[]): boolean => {
    parts.push("[");
    for (const route of list) {
      if (typeof route.id !== "string" || byId.has(route.id)) return false;
      byId.set(route.id, route);
      parts.push(JSON.stringify([route.id, route.path ?? null, route.index === true, route.caseSensitive === true]));
      if (route.children && !walk(route.children)) return false;
    }
    parts.push("]");
    return true;
  };
  return walk(routes) ? { key: parts.join(""), byId } : null;
}

/** The pathname of a location, as `matchRoutes` reads it (a string's search and hash cut off). */
function pathnameOf(location: string | { pathname?: string }): string {
  if (typeof location !== "string") return location.pathname || "/";
  const hash = location.indexOf("#");
  const withoutHash = hash >= 0 ? location.slice(0, hash) : location;
  const search = withoutHash.indexOf("?");
  return (search >= 0 ? withoutHash.slice(0, search) : withoutHash) || "/";
}

/** `original` with its answers remembered by table shape and address. */
export function cachedMatchRoutes(original: MatchRoutes): MatchRoutes {
  const shapes = new WeakMap<object, Shape | null>();
  const answers = new Map<string, Map<string, Kept>>();
  return (routes, location, basename = "/") => {
    let shape = shapes.get(routes);
    if (shape === undefined) {
      shape = describe(routes);
      shapes.set(routes, shape);
    }
    if (!shape) return original(routes, location, basename);
    let byAddress = answers.get(shape.key);
    if (!byAddress) {
      if (answers.size >= SHAPES) answers.clear();
      byAddress = new Map();
      answers.set(shape.key, byAddress);
    }
    const address = `${basename}\u0000${pathnameOf(location)}`;
    let kept = byAddress.get(address);
    if (kept === undefined) {
      const matches = original(routes, location, basename);
      kept = matches && {
        ids: matches.map((m) => m.route.id!),
        params: { ...matches[0]?.params },
        pathnames: matches.map((m) => m.pathname),
        bases: matches.map((m) => m.pathnameBase),
      };
      if (byAddress.size >= ADDRESSES_PER_SHAPE) byAddress.delete(byAddress.keys().next().value!);
      byAddress.set(address, kept);
      if (matches) return matches;
    }
    if (!kept) return null;
    // As matchRoutes answers: one params object shared by every match of the answer.
    const params = { ...kept.params };
    const byId = shape.byId;
    return kept.ids.map((id, i) => ({ params, pathname: kept.pathnames[i]!, pathnameBase: kept.bases[i]!, route: byId.get(id)! }));
  };
}

/**
 * Puts the cached `matchRoutes` on @remix-run/router's exports, where Remix's
 * server runtime, @remix-run/react and React Router look it up on each call.
 * Once per process, before the first request.
 */
export function installRouteMatchCache(): void {
  const router = createRequire(import.meta.url)("@remix-run/router") as { matchRoutes: MatchRoutes & { cached?: true } };
  if (router.matchRoutes.cached) return;
  router.matchRoutes = Object.assign(cachedMatchRoutes(router.matchRoutes), { cached: true as const });
}

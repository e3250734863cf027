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
 * where `installRouteMatchCache` puts the cached function. The static
 * handler's own call is internal to the package: its handler is wrapped
 * instead (`branchStaticHandlers`), and @remix-run/react's server route table,
 * built anew for every render, is built once (`rememberServerRoutes`; ADR 044).
 */

export type RouteLike = { id?: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: RouteLike[] };
export type RouteMatchLike = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: RouteLike };
export type MatchRoutes = (routes: RouteLike[], location: string | { pathname?: string }, basename?: string) => RouteMatchLike[] | null;

/** What is kept of one answer: the matched routes by their place in the table, and the rest as plain values. */
type Kept = { places: number[]; params: Record<string, string | undefined>; pathnames: string[]; bases: string[] } | null;
/**
 * An answer kept for every address that differs from the one it came from only in its last segment (ADR 056):
 * that segment was a `:param` of the deepest matched route, and `full` is the matched pathname ending in it (`last`).
 */
type Template = { kept: NonNullable<Kept>; param: string; full: string; last: string };
/** A table shape: its key, the first table seen of it (another table is compared with it route by route), and its static segments, lower-cased. */
type Shape = { key: string; table: RouteLike[]; statics: Set<string> };
/** What is kept per shape: answers by address, and templates by an address's part before its last segment. */
type Answers = { byAddress: Map<string, Kept>; byPrefix: Map<string, Template | null> };

/** Addresses kept per table shape; past it the oldest goes (addresses carry ids, so they are unbounded). */
export const ADDRESSES_PER_SHAPE = 2_000;
/** Table shapes kept (one per build in practice; more only while tests build tables of their own). */
const SHAPES = 16;

/** The table's shape as a string; null where a route has no id or two share one (then nothing is cached for that table). */
function describe(routes: RouteLike[]): string | null {
  const parts: string[] = [];
  const ids = new Set<string>();
  const walk = (list: RouteLike[]): boolean => {
    parts.push("[");
    for (const route of list) {
      if (typeof route.id !== "string" || ids.has(route.id)) return false;
      ids.add(route.id);
      parts.push(JSON.stringify([route.id, route.path ?? null, route.index === true, route.caseSensitive === true]));
      if (route.children && !walk(route.children)) return false;
    }
    parts.push("]");
    return true;
  };
  return walk(routes) ? parts.join("") : null;
}

/** Every static segment of the table's paths, lower-cased (a `?` suffix cut off; params and splats left out). */
function staticSegments(routes: RouteLike[]): Set<string> {
  const statics = new Set<string>();
  const walk = (list: RouteLike[]) => {
    for (const route of list) {
      for (const segment of (route.path ?? "").split("/")) {
        const literal = segment.replace(/\?$/, "");
        if (literal && !literal.startsWith(":") && literal !== "*") statics.add(literal.toLowerCase());
      }
      if (route.children) walk(route.children);
    }
  };
  walk(routes);
  return statics;
}

/**
 * A last segment a template may stand for: letters, digits, `-` and `_` (so decoding leaves it as it is and no
 * route's pattern reads it other than as a whole segment), and no static segment of the table (which a route of
 * higher rank could match where a `:param` matched the template's).
 */
const GENERIC_SEGMENT = /^[A-Za-z0-9_-]+$/;
function generic(segment: string, shape: Shape): boolean {
  return GENERIC_SEGMENT.test(segment) && !shape.statics.has(segment.toLowerCase());
}

/**
 * The answer for `last` as a template for its siblings, or null where it cannot be one: the deepest matched route
 * with a path must end in `:param` whose value is `last` (so no splat matched it), and every pathname must be the whole
 * matched path or end before its last segment.
 */
function templateOf(matches: RouteMatchLike[], kept: NonNullable<Kept>, last: string): Template | null {
  const withPath = [...matches].reverse().find((m) => m.route.path);
  const param = /^:([\w-]+)$/.exec(withPath?.route.path?.split("/").pop() ?? "")?.[1];
  if (!param || kept.params[param] !== last) return null;
  const full = kept.pathnames[kept.pathnames.length - 1]!;
  if (!full.endsWith(`/${last}`)) return null;
  const before = full.length - last.length - 1;
  const fits = (pathname: string) => pathname === full || (pathname.length <= before && full.startsWith(pathname));
  if (!kept.pathnames.every(fits) || !kept.bases.every(fits)) return null;
  return { kept, param, full, last };
}

/**
 * Whether two tables have one shape, compared in place: React Router builds a
 * new table for every render, and describing each as a string cost 3% of a
 * page (ADR 044).
 */
function sameShape(a: RouteLike[] | undefined, b: RouteLike[] | undefined): boolean {
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  for (let i = 0; i < (a?.length ?? 0); i++) {
    const x = a![i]!;
    const y = b![i]!;
    if (x.id !== y.id || x.path !== y.path || (x.index === true) !== (y.index === true) || (x.caseSensitive === true) !== (y.caseSensitive === true)) return false;
    if (!sameShape(x.children, y.children)) return false;
  }
  return true;
}

/** The pathname of a location, as `matchRoutes` reads it (a string's search and hash cut off). */
function pathnameOf(location: string | { pathname?: string }): string {
  if (typeof location !== "string") return location.pathname || "/";
  const hash = location.indexOf("#");
  const withoutHash = hash >= 0 ? location.slice(0, hash) : location;
  const search = withoutHash.indexOf("?");
  return (search >= 0 ? withoutHash.slice(0, search) : withoutHash) || "/";
}

/** Each match's place among its parent's children (the first's among the table's); null if a match is not in the table so. */
function placesOf(routes: RouteLike[], matches: RouteMatchLike[]): number[] | null {
  const places: number[] = [];
  let level: RouteLike[] | undefined = routes;
  for (const match of matches) {
    const place: number = level?.indexOf(match.route) ?? -1;
    if (place < 0) return null;
    places.push(place);
    level = match.route.children;
  }
  return places;
}

/**
 * `original` with its answers remembered by table shape and address, and by the address's part before its last
 * segment where that segment is an id (`/modules/x/quiz/<attempt>`): each such address is new, and matching it
 * afresh flattened and ranked the whole table (13% of a quiz submit's CPU; ADR 056).
 */
export function cachedMatchRoutes(original: MatchRoutes): MatchRoutes {
  const shapes = new WeakMap<object, Shape | null>();
  const known: Shape[] = [];
  const answers = new Map<string, Answers>();
  const shapeOf = (routes: RouteLike[]): Shape | null => {
    const same = known.find((shape) => sameShape(shape.table, routes));
    if (same) return same;
    const key = describe(routes);
    if (key === null) return null;
    const shape = { key, table: routes, statics: staticSegments(routes) };
    if (known.length >= SHAPES) known.shift();
    known.push(shape);
    return shape;
  };
  const keep = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= ADDRESSES_PER_SHAPE) map.delete(map.keys().next().value!);
    map.set(key, value);
  };
  // Fresh match objects holding this table's routes; one params object shared by every match, as matchRoutes answers.
  const rebuild = (routes: RouteLike[], kept: NonNullable<Kept>, params: Record<string, string | undefined>, repoint: (pathname: string) => string) => {
    let level: RouteLike[] | undefined = routes;
    return kept.places.map((place, i) => {
      const route = level![place]!;
      level = route.children;
      return { params, pathname: repoint(kept.pathnames[i]!), pathnameBase: repoint(kept.bases[i]!), route };
    });
  };
  const same = (pathname: string) => pathname;
  return (routes, location, basename = "/") => {
    let shape = shapes.get(routes);
    if (shape === undefined) {
      shape = shapeOf(routes);
      shapes.set(routes, shape);
    }
    if (!shape) return original(routes, location, basename);
    let kept = answers.get(shape.key);
    if (!kept) {
      if (answers.size >= SHAPES) answers.clear();
      kept = { byAddress: new Map(), byPrefix: new Map() };
      answers.set(shape.key, kept);
    }
    const { byAddress, byPrefix } = kept;
    const pathname = pathnameOf(location);
    const address = `${basename}\u0000${pathname}`;
    const known = byAddress.get(address);
    if (known) return rebuild(routes, known, { ...known.params }, same);
    if (known === null) return null;
    const slash = pathname.lastIndexOf("/");
    const last = pathname.slice(slash + 1);
    const prefix = `${basename}\u0000${pathname.slice(0, slash + 1)}`;
    const isGeneric = generic(last, shape);
    const template = isGeneric ? byPrefix.get(prefix) : undefined;
    if (template) {
      const full = template.full.slice(0, template.full.length - template.last.length) + last;
      return rebuild(routes, template.kept, { ...template.kept.params, [template.param]: last }, (p) => (p === template.full ? full : p));
    }
    const matches = original(routes, location, basename);
    const places = matches && placesOf(routes, matches);
    if (matches && !places) return matches;
    const answer: Kept = matches && {
      places: places!,
      params: { ...matches[0]?.params },
      pathnames: matches.map((m) => m.pathname),
      bases: matches.map((m) => m.pathnameBase),
    };
    keep(byAddress, address, answer);
    // A template is tried once per prefix: where the first generic address under it gives none, none is kept.
    if (isGeneric && template === undefined) keep(byPrefix, prefix, matches && answer && templateOf(matches, answer, last));
    return matches;
  };
}

/** A route as the static handler takes it: the shape above, and whatever else (loader, action, handle) it carries. */
export type HandlerRoute = RouteLike & { children?: HandlerRoute[] } & Record<string, unknown>;
export type StaticHandlerLike = {
  dataRoutes: RouteLike[];
  query: (request: Request, options?: unknown) => Promise<unknown>;
  queryRoute: (request: Request, options?: unknown) => Promise<unknown>;
};
export type CreateStaticHandler = (routes: HandlerRoute[], options?: { basename?: string } & Record<string, unknown>) => StaticHandlerLike;

/** The methods the static handler serves; anything else (its 405) goes to the whole table's handler. */
const HANDLED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * `create` (@remix-run/router's `createStaticHandler`) whose `query` and
 * `queryRoute` match through `match` (the cached `matchRoutes`) instead of
 * the package's internal `matchRoutes`, which flattened and ranked the whole
 * table on every request (13.5% of the CPU of a page with no loader).
 *
 * What a query does with the table, beyond matching the address, is read
 * the matched routes (their loaders, actions, boundaries) and, for an
 * address nothing matches or a method it does not serve, the root. So a
 * request whose address matches is answered by a handler of the matched
 * branch alone: the table cut down to the matched routes, each with only
 * the next matched route as its child (the last keeps none). Matching that
 * table gives the same branch (it is the only one that reaches the end of
 * the address), and it is built once per branch: a branch is named by its
 * last route, so there are at most as many as routes. Unmatched addresses and
 * other methods go to the whole table's handler, as before. `dataRoutes`
 * stays the whole table's (Remix reads it for an error's second render).
 */
export function branchStaticHandlers(create: CreateStaticHandler, match: MatchRoutes): CreateStaticHandler {
  return (routes, options) => {
    const whole = create(routes, options);
    const basename = options?.basename || "/";
    const branches = new Map<string, StaticHandlerLike>();
    const handlerFor = (request: Request): StaticHandlerLike => {
      if (!HANDLED_METHODS.has(request.method.toUpperCase())) return whole;
      const matches = match(whole.dataRoutes, new URL(request.url).pathname, basename);
      if (!matches || matches.length === 0) return whole;
      const last = matches[matches.length - 1]!.route.id!;
      let branch = branches.get(last);
      if (!branch) {
        const cut = cutToBranch(routes, matches.map((m) => m.route.id!));
        if (!cut) return whole;
        branch = create(cut, options);
        branches.set(last, branch);
      }
      return branch;
    };
    return {
      ...whole,
      query: (request, queryOptions) => handlerFor(request).query(request, queryOptions),
      queryRoute: (request, queryOptions) => handlerFor(request).queryRoute(request, queryOptions),
    };
  };
}

/** The routes of `ids`, each the parent of the next, copied from `routes` with only that child; null if the chain is not in it. */
export function cutToBranch(routes: HandlerRoute[], ids: string[]): HandlerRoute[] | null {
  const cut = (level: HandlerRoute[] | undefined, at: number): HandlerRoute | null => {
    const route = level?.find((r) => r.id === ids[at]);
    if (!route) return null;
    const { children: _children, ...rest } = route;
    if (at === ids.length - 1) return rest;
    const child = cut(route.children, at + 1);
    return child && { ...rest, children: [child] };
  };
  const top = cut(routes, 0);
  return top && [top];
}

type ServerRoutesArgs = [manifest: Record<string, unknown>, routeModules: Record<string, unknown>, future: unknown, isSpaMode: unknown];

/**
 * `create` (@remix-run/react's `createServerRoutes`, called by `RemixServer`
 * on every render: a route object per route of the app, with its
 * components, 7% of a page's CPU) answered once per manifest: the answer
 * depends only on the manifest, the route modules and two flags, all fixed
 * per build. The route modules object is new per request, so its entries
 * are compared one by one. Callers only read the table (React Router copies
 * it into its own route objects), so one table serves every render.
 */
export function rememberServerRoutes<T>(create: (...args: ServerRoutesArgs) => T): (...args: ServerRoutesArgs) => T {
  let kept: { args: ServerRoutesArgs; modules: [string, unknown][]; routes: T } | null = null;
  const same = (args: ServerRoutesArgs) =>
    kept !== null &&
    kept.args[0] === args[0] &&
    kept.args[2] === args[2] &&
    kept.args[3] === args[3] &&
    Object.keys(args[1]).length === kept.modules.length &&
    kept.modules.every(([id, module]) => args[1][id] === module);
  return (...args) => {
    if (args.length !== 4) return create(...args);
    if (!same(args)) kept = { args, modules: Object.entries(args[1]), routes: create(...args) };
    return kept!.routes;
  };
}

type ConvertRoutes = (routes: RouteLike[], mapRouteProperties: unknown, parentPath?: string[], manifest?: Record<string, unknown>) => RouteLike[];

/**
 * `convert` (@remix-run/router's `UNSAFE_convertRoutesToDataRoutes`) answered
 * once per route table and `mapRouteProperties`. React Router's
 * `createStaticRouter` calls it on every render, on the table RemixServer
 * passes (the remembered server routes above, the same object each time), to
 * copy every route into a data route with its properties mapped (6% of the CPU
 * of a page with no loader, ADR 054). The answer depends only on those two: a
 * later call gets the same data routes and the caller's manifest filled with
 * the same entries, as the first call filled its own. The static router only
 * reads them (its route-changing methods throw on the server). A call with a
 * parent path or a manifest that already holds routes is passed through.
 */
export function rememberDataRoutes(convert: ConvertRoutes): ConvertRoutes {
  const kept = new WeakMap<RouteLike[], { map: unknown; routes: RouteLike[]; manifest: Record<string, unknown> }>();
  const empty = (manifest: Record<string, unknown>) => {
    for (const _ in manifest) return false;
    return true;
  };
  return (routes, mapRouteProperties, parentPath, manifest = {}) => {
    if (parentPath !== undefined || !empty(manifest)) return convert(routes, mapRouteProperties, parentPath, manifest);
    const known = kept.get(routes);
    if (known && known.map === mapRouteProperties) {
      Object.assign(manifest, known.manifest);
      return known.routes;
    }
    const converted = convert(routes, mapRouteProperties, undefined, manifest);
    kept.set(routes, { map: mapRouteProperties, routes: converted, manifest: { ...manifest } });
    return converted;
  };
}

/**
 * Puts the cached `matchRoutes` on @remix-run/router's exports, where Remix's
 * server runtime, @remix-run/react and React Router look it up on each call,
 * the remembered data-route conversion beside it (React Router's static router
 * looks it up on each render), the branch-wise `createStaticHandler` (Remix's server runtime
 * looks it up when it handles its first request) and the remembered
 * `createServerRoutes` on @remix-run/react's routes module (RemixServer looks
 * it up on each render). Once per process, before the first request.
 */
export function installRouteMatchCache(): void {
  const require = createRequire(import.meta.url);
  const router = require("@remix-run/router") as {
    matchRoutes: MatchRoutes & { cached?: true };
    createStaticHandler: CreateStaticHandler & { cached?: true };
    UNSAFE_convertRoutesToDataRoutes: ConvertRoutes;
  };
  if (router.matchRoutes.cached) return;
  router.matchRoutes = Object.assign(cachedMatchRoutes(router.matchRoutes), { cached: true as const });
  router.createStaticHandler = Object.assign(branchStaticHandlers(router.createStaticHandler, router.matchRoutes), { cached: true as const });
  router.UNSAFE_convertRoutesToDataRoutes = rememberDataRoutes(router.UNSAFE_convertRoutesToDataRoutes);
  const serverRoutes = require("@remix-run/react/dist/routes.js") as { createServerRoutes: (...args: ServerRoutesArgs) => unknown };
  serverRoutes.createServerRoutes = rememberServerRoutes(serverRoutes.createServerRoutes);
}

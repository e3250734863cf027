import { createStaticHandler, matchRoutes, UNSAFE_convertRoutesToDataRoutes as convertRoutesToDataRoutes } from "@remix-run/router";
import { expect, test } from "vitest";
import {
  branchStaticHandlers,
  cachedMatchRoutes,
  cutToBranch,
  rememberDataRoutes,
  rememberServerRoutes,
  type CreateStaticHandler,
  type HandlerRoute,
  type MatchRoutes,
} from "#app/services/route-matching.server.ts";

const original = matchRoutes as unknown as MatchRoutes;
const create = createStaticHandler as unknown as CreateStaticHandler;

type Args = { request: Request; params: Record<string, string | undefined> };

/** A table shaped like the app's, with loaders, actions and boundaries that say who answered. */
function table(): HandlerRoute[] {
  return [
    {
      id: "root",
      path: "",
      hasErrorBoundary: true,
      loader: () => "root",
      children: [
        { id: "home", index: true, loader: () => "home" },
        { id: "accessibility", path: "accessibility" },
        {
          id: "module",
          path: "modules/:slug",
          hasErrorBoundary: true,
          loader: ({ params }: Args) => `module ${params.slug}`,
          children: [
            { id: "module-index", index: true, loader: () => "contents", action: () => "index action" },
            {
              id: "lesson",
              path: ":lesson",
              loader: ({ params }: Args) => {
                if (params.lesson === "missing") throw new Response("no such lesson", { status: 404 });
                if (params.lesson === "moved") throw new Response(null, { status: 302, headers: { Location: "/modules/a/b" } });
                if (params.lesson === "broken") throw new Error("loader failed");
                return `lesson ${params.lesson}`;
              },
            },
            { id: "quiz", path: "quiz/:attemptId", loader: () => "quiz", action: async ({ request }: Args) => `graded ${(await request.formData()).get("q1")}` },
          ],
        },
        { id: "auth", children: [{ id: "login", path: "login", loader: () => "login", action: () => "signed in" }] },
        { id: "case", path: "Case", caseSensitive: true, loader: () => "Case" },
        { id: "splat", path: "*", loader: ({ params }: Args) => `splat ${params["*"]}` },
      ],
    },
  ];
}

/** What a caller reads of an answer: a context as plain values, a Response by status and address, or a thrown error's status. */
async function plain(answer: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await answer;
  } catch (error) {
    return { thrown: error instanceof Response ? error.status : error && typeof error === "object" && "status" in error ? error.status : String(error) };
  }
  if (value instanceof Response) return { response: value.status, location: value.headers.get("Location"), body: await value.text() };
  if (!value || typeof value !== "object" || !("matches" in value)) return { value };
  const context = value as { statusCode: number; matches: { route: { id: string }; params: object; pathname: string; pathnameBase: string }[] } & Record<string, unknown>;
  const errors = context.errors as Record<string, unknown> | null;
  return {
    statusCode: context.statusCode,
    matches: context.matches.map((m) => [m.route.id, m.params, m.pathname, m.pathnameBase]),
    loaderData: context.loaderData,
    actionData: context.actionData,
    errors: errors && Object.fromEntries(Object.entries(errors).map(([id, e]) => [id, e instanceof Error ? e.message : JSON.stringify(e)])),
  };
}

const form = (body: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(body), headers: { "Content-Type": "application/x-www-form-urlencoded" } });

const requests: [string, RequestInit?][] = [
  ["/"],
  ["/?x=1"],
  ["/accessibility"],
  ["/modules/a"],
  ["/modules/a/"],
  ["/modules/a?index", form({ q1: "a" })],
  ["/modules/a/b"],
  ["/modules/%C5%81/b"],
  ["/modules/a/missing"],
  ["/modules/a/moved"],
  ["/modules/a/broken"],
  ["/modules/a/quiz/9", form({ q1: "b" })],
  ["/modules/a/quiz/9"],
  ["/modules/a/b", form({ q1: "c" })],
  ["/login", form({})],
  ["/login", { method: "PUT" }],
  ["/login", { method: "HEAD" }],
  ["/login", { method: "PROPFIND" }],
  ["/Case"],
  ["/case"],
  ["/nope/deep/x"],
  ["/app/accessibility"],
];

for (const basename of [undefined, "/app"]) {
  test(`query and queryRoute answer as the whole table's handler does, request by request, twice (basename ${basename ?? "none"})`, async () => {
    const options = basename ? { basename } : undefined;
    const whole = create(table(), options);
    const branches = branchStaticHandlers(create, cachedMatchRoutes(original))(table(), options);
    for (let round = 0; round < 2; round++) {
      for (const [address, init] of requests) {
        const url = `http://localhost${basename && !address.startsWith("/app") ? basename : ""}${address}`;
        const label = `${init?.method ?? "GET"} ${url}`;
        expect(await plain(branches.query(new Request(url, init))), label).toEqual(await plain(whole.query(new Request(url, init))));
        expect(await plain(branches.queryRoute(new Request(url, init))), label).toEqual(await plain(whole.queryRoute(new Request(url, init))));
        const routeId = { routeId: "root" };
        expect(await plain(branches.queryRoute(new Request(url, init), routeId)), label).toEqual(await plain(whole.queryRoute(new Request(url, init), routeId)));
      }
    }
  });
}

test("a literal case: a lesson is answered by its branch, with the whole table's dataRoutes kept for Remix", async () => {
  const handler = branchStaticHandlers(create, cachedMatchRoutes(original))(table());
  expect(await plain(handler.query(new Request("http://localhost/modules/stalking/what-is-it")))).toEqual({
    statusCode: 200,
    matches: [
      ["root", { slug: "stalking", lesson: "what-is-it" }, "/", "/"],
      ["module", { slug: "stalking", lesson: "what-is-it" }, "/modules/stalking", "/modules/stalking"],
      ["lesson", { slug: "stalking", lesson: "what-is-it" }, "/modules/stalking/what-is-it", "/modules/stalking/what-is-it"],
    ],
    loaderData: { root: "root", module: "module stalking", lesson: "lesson what-is-it" },
    actionData: null,
    errors: null,
  });
  expect(handler.dataRoutes.map((r) => r.children?.map((c) => c.id))).toEqual([["home", "accessibility", "module", "auth", "case", "splat"]]);
});

test("a branch is the matched routes, each with only the next as its child, the rest of each route kept", () => {
  const routes = table();
  const cut = cutToBranch(routes, ["root", "module", "lesson"])!;
  expect(cut.map((r) => r.id)).toEqual(["root"]);
  expect(cut[0]!.children!.map((r) => r.id)).toEqual(["module"]);
  expect(cut[0]!.children![0]!.children!.map((r) => [r.id, r.path, "children" in r])).toEqual([["lesson", ":lesson", false]]);
  expect(cut[0]!.loader).toBe(routes[0]!.loader);
  // The table passed is not changed.
  expect(routes[0]!.children!.length).toBe(6);
  expect(cutToBranch(routes, ["root", "nowhere"])).toBeNull();
});

test("server routes are built once per manifest and route modules, and again when either changes", () => {
  let built = 0;
  const remembered = rememberServerRoutes((manifest) => (built++, { routes: Object.keys(manifest) }));
  const manifest = { root: {}, home: {} };
  const modules = { root: { default: "Root" }, home: { default: "Home" } };
  const future = {};
  // A new route modules object per request (as Remix makes), of the same modules: the same table.
  const first = remembered(manifest, { ...modules }, future, false);
  expect(remembered(manifest, { ...modules }, future, false)).toBe(first);
  expect(built).toBe(1);
  // Another module object for one route (a rebuilt module), a route less, another manifest, future or flag: built again.
  const changes: [Record<string, unknown>, Record<string, unknown>, unknown, boolean][] = [
    [manifest, { ...modules, home: { default: "Home 2" } }, future, false],
    [manifest, { root: modules.root }, future, false],
    [{ ...manifest }, { root: modules.root }, future, false],
    [manifest, { ...modules }, {}, false],
    [manifest, { ...modules }, future, true],
  ];
  for (const [i, args] of changes.entries()) {
    const table = remembered(...args);
    expect(built, `change ${i}`).toBe(i + 2);
    expect(remembered(...args)).toBe(table);
  }
});

test("data routes are converted once per table and route mapping; a later call gets the same routes and its manifest filled alike", () => {
  let converted = 0;
  const convert = (...args: Parameters<typeof convertRoutesToDataRoutes>) => (converted++, convertRoutesToDataRoutes(...args));
  const remembered = rememberDataRoutes(convert as never);
  const routes = [
    { id: "root", path: "", children: [{ id: "home", index: true }, { id: "lesson", path: "modules/:slug/:lesson", children: [{ id: "part", path: "part" }] }] },
  ];
  const map = (route: { id?: string }) => ({ hasErrorBoundary: route.id === "root" });
  const expectedManifest: Record<string, unknown> = {};
  const expected = convertRoutesToDataRoutes(routes as never, map as never, undefined, expectedManifest as never);

  const firstManifest: Record<string, unknown> = {};
  const first = remembered(routes, map, undefined, firstManifest);
  const laterManifest: Record<string, unknown> = {};
  const later = remembered(routes, map, undefined, laterManifest);
  expect(converted).toBe(1);
  expect(later).toBe(first);
  expect(first).toEqual(expected);
  expect(Object.keys(laterManifest).sort()).toEqual(["home", "lesson", "part", "root"]);
  expect(laterManifest).toEqual(expectedManifest);
  // The manifest's entries are the returned routes themselves, as the first call's are.
  expect(laterManifest.root).toBe(first[0]);
  expect(laterManifest.part).toBe(first[0]!.children![1]!.children![0]);

  // Another mapping, another table (even of the same shape), a parent path, or a manifest already holding routes: converted again.
  remembered(routes, (route: { id?: string }) => ({ hasErrorBoundary: route.id === "home" }), undefined, {});
  expect(converted).toBe(2);
  remembered(structuredClone(routes), map, undefined, {});
  expect(converted).toBe(3);
  remembered(routes, map, ["0"], {});
  expect(converted).toBe(4);
  const holding: Record<string, unknown> = { other: {} };
  remembered(routes, map, undefined, holding);
  expect(converted).toBe(5);
  expect(Object.keys(holding).sort()).toEqual(["home", "lesson", "other", "part", "root"]);
});

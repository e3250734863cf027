import { matchRoutes } from "@remix-run/router";
import { expect, test } from "vitest";
import { ADDRESSES_PER_SHAPE, cachedMatchRoutes, type MatchRoutes, type RouteLike } from "#app/services/route-matching.server.ts";

const original = matchRoutes as unknown as MatchRoutes;

/** A table shaped like the app's: a root, index, layouts, params, a pathless layout, a splat; new objects each call. */
function table(): RouteLike[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "routes/_index", index: true },
        { id: "routes/accessibility", path: "accessibility" },
        {
          id: "routes/modules.$slug",
          path: "modules/:slug",
          children: [
            { id: "routes/modules.$slug._index", index: true },
            { id: "routes/modules.$slug.$lesson", path: ":lesson" },
            { id: "routes/modules.$slug.quiz.$attemptId", path: "quiz/:attemptId" },
          ],
        },
        { id: "routes/_auth", children: [{ id: "routes/_auth.login", path: "login" }] },
        { id: "routes/Case", path: "Case", caseSensitive: true },
        { id: "routes/$", path: "*" },
      ],
    },
  ];
}

/** An answer as ids, params and pathnames: what a caller reads. */
const plain = (matches: ReturnType<MatchRoutes>) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;

test("answers, first and again, are what matchRoutes answers: literal cases", () => {
  const cached = cachedMatchRoutes(original);
  for (let round = 0; round < 2; round++) {
    expect(plain(cached(table(), "/modules/recognising-stalking/stalking-or-harassment?x=1#top"))).toEqual([
      { id: "root", params: { slug: "recognising-stalking", lesson: "stalking-or-harassment" }, pathname: "/", pathnameBase: "/" },
      {
        id: "routes/modules.$slug",
        params: { slug: "recognising-stalking", lesson: "stalking-or-harassment" },
        pathname: "/modules/recognising-stalking",
        pathnameBase: "/modules/recognising-stalking",
      },
      {
        id: "routes/modules.$slug.$lesson",
        params: { slug: "recognising-stalking", lesson: "stalking-or-harassment" },
        pathname: "/modules/recognising-stalking/stalking-or-harassment",
        pathnameBase: "/modules/recognising-stalking/stalking-or-harassment",
      },
    ]);
    expect(plain(cached(table(), { pathname: "/login" }))).toEqual([
      { id: "root", params: {}, pathname: "/", pathnameBase: "/" },
      { id: "routes/_auth", params: {}, pathname: "/", pathnameBase: "/" },
      { id: "routes/_auth.login", params: {}, pathname: "/login", pathnameBase: "/login" },
    ]);
    expect(plain(cached(table(), "/case"))?.map((m) => [m.id, m.params])).toEqual([
      ["root", { "*": "case" }],
      ["routes/$", { "*": "case" }],
    ]);
    expect(plain(cached(table(), "/accessibility", "/app"))).toBeNull();
    expect(plain(cached(table(), "/app/accessibility", "/app"))?.map((m) => m.id)).toEqual(["root", "routes/accessibility"]);
  }
});

test("every address gives what matchRoutes gives, with the routes of the table passed, on a first and a later call", () => {
  const cached = cachedMatchRoutes(original);
  const addresses = ["/", "", "/accessibility", "/Case", "/case", "/modules/a", "/modules/a/", "/modules/a/b", "/modules/a/quiz/9", "/modules/%C5%81/b", "/login", "/nope/deep/x"];
  for (let round = 0; round < 2; round++) {
    for (const address of addresses) {
      for (const basename of [undefined, "/", "/modules"]) {
        const routes = table();
        const answer = cached(routes, address, basename);
        expect(plain(answer), `${address} under ${basename}`).toEqual(plain(original(table(), address, basename)));
        // Each match holds the route object of this table, not of the table that filled the cache.
        const byId = new Map<string, RouteLike>();
        const walk = (list: RouteLike[]) => list.forEach((r) => (byId.set(r.id!, r), r.children && walk(r.children)));
        walk(routes);
        for (const match of answer ?? []) expect(match.route).toBe(byId.get(match.route.id!));
      }
    }
  }
});

test("a caller changing its answer does not change the next caller's", () => {
  const cached = cachedMatchRoutes(original);
  // The first answer fills the cache; the second is built from it.
  for (let i = 0; i < 2; i++) {
    const answer = cached(table(), "/modules/a/b")!;
    answer[0]!.params.slug = "changed";
    answer[0]!.pathname = "/changed";
    answer.pop();
  }
  const second = cached(table(), "/modules/a/b")!;
  expect(second.map((m) => [m.route.id, m.params.slug, m.pathname])).toEqual([
    ["root", "a", "/"],
    ["routes/modules.$slug", "a", "/modules/a"],
    ["routes/modules.$slug.$lesson", "a", "/modules/a/b"],
  ]);
  // One params object for the whole answer, as matchRoutes gives.
  expect(second[0]!.params).toBe(second[2]!.params);
});

test("tables of another shape, or without ids, are not answered from each other's cache", () => {
  const cached = cachedMatchRoutes(original);
  expect(cached(table(), "/accessibility")?.map((m) => m.route.id)).toEqual(["root", "routes/accessibility"]);
  const moved = table();
  moved[0]!.children![1]!.path = "access";
  expect(cached(moved, "/accessibility")?.map((m) => m.route.id)).toEqual(["root", "routes/$"]);
  const noIds: RouteLike[] = [{ path: "accessibility" }];
  expect(cached(noIds, "/accessibility")?.map((m) => m.pathname)).toEqual(["/accessibility"]);
});

test("the addresses kept per table are bounded; the oldest goes first and is answered again correctly", () => {
  let calls = 0;
  const counting: MatchRoutes = (...args) => (calls++, original(...args));
  const cached = cachedMatchRoutes(counting);
  const routes = table();
  for (let i = 0; i <= ADDRESSES_PER_SHAPE; i++) cached(routes, `/modules/m/${i}`);
  expect(calls).toBe(2_001);
  cached(routes, `/modules/m/${ADDRESSES_PER_SHAPE}`);
  expect(calls).toBe(2_001);
  expect(cached(routes, "/modules/m/0")?.[2]?.params.lesson).toBe("0");
  expect(calls).toBe(2_002);
});

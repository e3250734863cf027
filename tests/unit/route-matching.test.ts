import { matchRoutes } from "@remix-run/router";
import fc from "fast-check";
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
            { id: "routes/modules.$slug.review", path: "review" },
            { id: "routes/modules.$slug.quiz.$attemptId", path: "quiz/:attemptId" },
            { id: "routes/modules.$slug.quiz.$attemptId.edit", path: "quiz/:attemptId/edit" },
            { id: "routes/modules.$slug.files.$", path: "files/*" },
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
  const addresses = [
    "/", "", "/accessibility", "/Case", "/case", "/modules/a", "/modules/a/", "/modules/a/b", "/modules/a/quiz/9", "/modules/%C5%81/b", "/login", "/nope/deep/x",
    // After "/modules/a/b" (a :lesson) and "/modules/a/quiz/9" (an :attemptId), addresses differing from them only in the last segment.
    "/modules/a/c-2", "/modules/a/review", "/modules/a/REVIEW", "/modules/a/quiz", "/modules/a/files", "/modules/a/edit", "/modules/a/b.c", "/modules/a/%C5%81",
    "/modules/a/quiz/x_Y", "/modules/a/quiz/edit", "/modules/a/quiz/review", "/modules/a/quiz/9/edit", "/modules/a/quiz/8/edit", "/modules/a/files/x", "/modules/a/files/y",
  ];
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
  // A last segment with a dot is never answered from another address's (see the next test), so each is matched.
  for (let i = 0; i <= ADDRESSES_PER_SHAPE; i++) cached(routes, `/modules/m/${i}.x`);
  expect(calls).toBe(2_001);
  cached(routes, `/modules/m/${ADDRESSES_PER_SHAPE}.x`);
  expect(calls).toBe(2_001);
  expect(cached(routes, "/modules/m/0.x")?.[2]?.params.lesson).toBe("0.x");
  expect(calls).toBe(2_002);
});

test("an address differing from a matched one only in an id at its end is answered without matching again, where that is sure to be the same route", () => {
  let calls = 0;
  const counting: MatchRoutes = (...args) => (calls++, original(...args));
  const cached = cachedMatchRoutes(counting);
  const check = (address: string, matched: boolean) => {
    const before = calls;
    expect(plain(cached(table(), address)), address).toEqual(plain(original(table(), address)));
    expect(calls - before, `${address} matched afresh`).toBe(matched ? 1 : 0);
  };
  check("/modules/a/quiz/0b5c9f1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", true);
  check("/modules/a/quiz/7d1e2f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a", false);
  check("/modules/a/quiz/X_y-9", false);
  // A static segment of the table, in any case, may be another route's: matched afresh, as is anything not plainly an id.
  check("/modules/a/quiz/edit", true);
  check("/modules/a/lesson-1", true);
  check("/modules/a/lesson-2", false);
  check("/modules/a/review", true);
  check("/modules/a/Review", true);
  check("/modules/a/b.c", true);
  check("/modules/a/%C5%81", true);
  // Another prefix is another template; a splat's answer is never one.
  check("/modules/b/quiz/1", true);
  check("/modules/b/quiz/2", false);
  check("/modules/a/files/1", true);
  check("/modules/a/files/2", true);
  check("/nope/x", true);
  check("/nope/y", true);
  // Under a basename, as without.
  expect(plain(cached(table(), "/app/modules/a/quiz/1", "/app"))).toEqual(plain(original(table(), "/app/modules/a/quiz/1", "/app")));
  expect(plain(cached(table(), "/app/modules/a/quiz/2", "/app"))).toEqual(plain(original(table(), "/app/modules/a/quiz/2", "/app")));
});

test("any address, after any other, gives what matchRoutes gives", () => {
  // Addresses that share their first segments often, so that one is answered after another with the same prefix.
  const segment = fc.oneof(
    fc.constantFrom("modules", "quiz", "review", "Review", "edit", "files", "accessibility", "login", "Case", "a", "b", "x1", "%C5%81", "b.c", ""),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/),
  );
  const prefix = fc.constantFrom([], ["modules"], ["modules", "a"], ["modules", "a", "quiz"], ["modules", "b", "quiz", "1"], ["modules", "a", "files"], ["nope"]);
  const address = fc.tuple(prefix, fc.array(segment, { minLength: 0, maxLength: 2 })).map(([start, end]) => `/${[...start, ...end].join("/")}`);
  fc.assert(
    fc.property(fc.array(address, { minLength: 1, maxLength: 12 }), fc.constantFrom(undefined, "/modules"), (addresses, basename) => {
      const cached = cachedMatchRoutes(original);
      for (const a of addresses) expect(plain(cached(table(), a, basename)), a).toEqual(plain(original(table(), a, basename)));
    }),
    { numRuns: 500 },
  );
});

/**
 * Two instances of the production server (build/index.js) on one PostgreSQL database, as behind a load balancer,
 * and a learner's lesson pages served by either (ADR 047): each instance keeps the learner's progress between the
 * changes it hears of; a form that may write progress marks the browser for a few seconds (OWN_WRITE_COOKIE), and
 * while marked its pages read progress afresh on whichever instance answers them.
 *
 * PostgreSQL only (tests/vitest.config.ts includes *.postgres.test.ts when TEST_DATABASE_URL is set). Needs the
 * production build: `npx remix build` first.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getCurrentVersion } from "#app/models/learning/module.server.ts";
import { OWN_WRITE_COOKIE } from "#app/services/request-context.server.ts";
import { createUser } from "#tests/factories.ts";
import { BENCH_SLUG as SLUG } from "#tests/load/seed-http-bench-shared.ts";
import { openTestDatabase } from "./database.ts";
import { databaseUrlOf, freePort, requireBuild, startProductionInstance, stopInstances, type ProductionInstance } from "./production-instances.ts";

const handle = await openTestDatabase();
const secret = crypto.randomBytes(32).toString("hex");
const instances: ProductionInstance[] = [];
let appUrl = "";
let A = "";
let B = "";

beforeAll(async () => {
  requireBuild(OWN_WRITE_COOKIE, "ADR 047");
  const databaseUrl = await databaseUrlOf(handle);
  const [portA, portB] = [await freePort(), await freePort()];
  appUrl = `http://127.0.0.1:${portA}`;
  const env = { APP_URL: appUrl, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: "3", BETTER_AUTH_SECRET: secret, JOBS_IN_SERVER: "off" };
  // One after the other: each imports the curriculum at start, and B finds it already there.
  instances.push(await startProductionInstance("lesson-two-A", portA, env));
  instances.push(await startProductionInstance("lesson-two-B", portB, env));
  [A, B] = instances.map((i) => i.base) as [string, string];
}, 120_000);

afterAll(() => stopInstances(instances));

/** A browser's cookie jar that honours Max-Age=0 only as far as this test needs: `forget` drops a cookie by name. */
function browser() {
  let jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(";");
      const name = pair!.split("=")[0]!;
      jar.set(name, pair!);
    }
    return response;
  };
  const cookie = () => [...jar.values()].join("; ");
  return {
    // The public address's Host, as a load balancer passes it on to either instance.
    get: async (base: string, pathname: string) =>
      keep(await fetch(`${base}${pathname}`, { headers: { cookie: cookie(), "x-forwarded-host": new URL(appUrl).host }, redirect: "manual" })),
    post: async (base: string, pathname: string, body: URLSearchParams) =>
      keep(await fetch(`${base}${pathname}`, { method: "POST", redirect: "manual", headers: { cookie: cookie(), origin: appUrl, "x-forwarded-host": new URL(appUrl).host }, body })),
    has: (name: string) => jar.has(name),
    forget: (name: string) => {
      jar = new Map([...jar].filter(([n]) => n !== name));
    },
  };
}

const statementsSoFar = async (base: string) => ((await (await fetch(`${base}/healthz`)).json()) as { counters: { queries: number } }).counters.queries;

/** Statements an instance sent for `fn`'s requests (the /healthz read after it is its own one). */
async function statements(base: string, fn: () => Promise<unknown>) {
  const before = await statementsSoFar(base);
  await fn();
  return (await statementsSoFar(base)) - before - 1;
}

const text = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

test("a learner's lesson pages on two instances: kept between changes, marked after their own forms, always their own progress", async () => {
  const learner = await createUser();
  const lessons = (await getCurrentVersion(SLUG))!.lessons;
  const [first, second] = [lessons[0]!.key, lessons[1]!.key];
  const me = browser();
  const login = await me.post(A, "/login", new URLSearchParams({ email: learner.email, password: learner.password, redirectTo: "/learning" }));
  expect(login.status).toBe(302);
  // Signing in writes no progress: no mark.
  expect(me.has(OWN_WRITE_COOKIE)).toBe(false);

  // Started on B: the answer marks the browser.
  const started = await me.post(B, `/modules/${SLUG}/${first}`, new URLSearchParams({ intent: "start" }));
  expect(started.status).toBe(302);
  expect(started.headers.getSetCookie().find((c) => c.startsWith(`${OWN_WRITE_COOKIE}=`))).toMatch(/Max-Age=\d+;.*HttpOnly/);
  // Marked, A reads afresh every time (at least a statement a page): the learner sees their own start however
  // recently A last read.
  expect(await text(await me.get(A, `/modules/${SLUG}/${first}`))).toContain("Mark complete and continue");
  const threePages = async () => {
    for (let i = 0; i < 3; i++) await me.get(A, `/modules/${SLUG}/${first}`);
  };
  expect(await statements(A, threePages)).toBeGreaterThanOrEqual(3);

  // The mark gone (as the browser drops it after Max-Age), A answers from what it kept. (At most one statement in
  // three pages: the session check reads its row when its signed cookie copy is over 5 s old, ADR 027.)
  me.forget(OWN_WRITE_COOKIE);
  const page = await me.get(A, `/modules/${SLUG}/${first}`);
  expect(page.headers.getSetCookie().some((c) => c.startsWith(`${OWN_WRITE_COOKIE}=`))).toBe(false);
  expect(await statements(A, threePages)).toBeLessThanOrEqual(1);

  // Completed on B, the redirect followed on A: the lesson shows completed there.
  const completed = await me.post(B, `/modules/${SLUG}/${first}`, new URLSearchParams({ intent: "complete" }));
  expect(completed.headers.get("location")).toBe(`/modules/${SLUG}/${second}`);
  expect(await text(await me.get(A, `/modules/${SLUG}/${first}`))).toContain("Lesson completed");

  // Another learner on A never gets this learner's answer.
  const other = await createUser();
  const them = browser();
  await them.post(A, "/login", new URLSearchParams({ email: other.email, password: other.password, redirectTo: "/learning" }));
  expect(await text(await them.get(A, `/modules/${SLUG}/${first}`))).toContain("Start module");
});

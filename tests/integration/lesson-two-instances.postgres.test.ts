/**
 * Two instances of the production server (build/index.js) on one PostgreSQL database, as behind a load balancer,
 * and a learner's lesson pages served by either (ADR 047): each instance keeps the learner's progress between the
 * changes it hears of; a form that may write progress marks the browser for a few seconds (OWN_WRITE_COOKIE), and
 * while marked its pages read progress afresh on whichever instance answers them.
 *
 * PostgreSQL only (tests/vitest.config.ts includes *.postgres.test.ts when TEST_DATABASE_URL is set). Needs the
 * production build: `npx remix build` first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { projectRoot } from "#db/client.ts";
import { getCurrentVersion } from "#app/models/learning/module.server.ts";
import { OWN_WRITE_COOKIE } from "#app/services/request-context.server.ts";
import { createUser } from "#tests/factories.ts";
import { BENCH_SLUG as SLUG } from "#tests/load/seed-http-bench-shared.ts";
import { openTestDatabase } from "./database.ts";

const BUILD = path.join(projectRoot(), "build", "index.js");
const handle = await openTestDatabase();
const secret = crypto.randomBytes(32).toString("hex");
const children: { child: ChildProcess; exited: Promise<unknown> }[] = [];
let appUrl = "";
let A = "";
let B = "";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startInstance(port: number, databaseUrl: string): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-lesson-two-"));
  const child = spawn(process.execPath, [BUILD], {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: appUrl,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "3",
      SMTP_URL: "",
      BETTER_AUTH_SECRET: secret,
      JOBS_IN_SERVER: "off",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stdout!.on("data", () => undefined);
  const exited = new Promise((resolve) => child.on("exit", resolve)).then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  children.push({ child, exited });
  const base = `http://127.0.0.1:${port}`;
  while (child.exitCode === null) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return base;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the instance did not start:\n${log.join("")}`);
}

beforeAll(async () => {
  if (!fs.existsSync(BUILD) || !fs.readFileSync(BUILD, "utf8").includes(OWN_WRITE_COOKIE)) {
    throw new Error(`${BUILD} is missing or older than ADR 047: run \`npx remix build\` first`);
  }
  const { rows } = (await handle.db.execute(sql`select current_database() as name`)) as unknown as { rows: { name: string }[] };
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  const [portA, portB] = [await freePort(), await freePort()];
  appUrl = `http://127.0.0.1:${portA}`;
  // One after the other: each imports the curriculum at start, and B finds it already there.
  A = await startInstance(portA, url.toString());
  B = await startInstance(portB, url.toString());
}, 120_000);

afterAll(async () => {
  for (const { child, exited } of children) {
    child.kill("SIGTERM");
    await exited;
  }
});

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

import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, expect, test } from "vitest";
import { RESPONSE_SENT, remixRequest, sendRemixResponse } from "#app/services/remix-request.server.ts";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const remix = await createAppHandler();

const servers: http.Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An Express server that hands each request to `answer` with its Fetch Request, as app/server.ts does. */
async function serve(answer: (request: Request, res: express.Response) => Promise<void>) {
  const app = express();
  const requests: Request[] = [];
  let base = "";
  app.use((req, res, next) => {
    const request = remixRequest(req, res, null, new URL(base));
    requests.push(request);
    answer(request, res).catch(next);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { base, requests };
}

const pendingTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

test("a page sent leaves no timer behind: Remix's loader-data timer is cleared when the response has been sent", async () => {
  const cookie = await sessionCookie(await createUser({ name: "Leaves Nothing" }));
  const { base, requests } = await serve(async (request, res) => sendRemixResponse(res, await remix(request)));
  const get = async (pathname: string) => {
    const response = await fetch(`${base}${pathname}`, { headers: { Cookie: cookie } });
    expect(response.status, pathname).toBe(200);
    await response.text();
  };
  // Once, so whatever the first request starts for good (caches, pools) is running before the count.
  await get("/modules/sample-basics/first");
  const before = pendingTimers();
  const PAGES = 20;
  for (let i = 0; i < PAGES; i++) await get(i % 2 ? "/accessibility" : "/modules/sample-basics/first");
  // Remix sets a 4.95 s timer per page's loader data, cleared only when the request's signal aborts: each page
  // whose signal stayed open left one pending (20 more here), holding its request and response until it fired.
  expect(pendingTimers() - before).toBeLessThan(PAGES / 4);
  expect(requests.every((r) => r.signal.aborted && r.signal.reason === RESPONSE_SENT)).toBe(true);
});

test("a client that goes away before the answer aborts its request with an AbortError, not as sent", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const { base, requests } = await serve(async (_request, res) => {
    await held;
    if (!res.destroyed) res.end("late");
  });
  const client = new AbortController();
  const answer = fetch(`${base}/slow`, { signal: client.signal }).catch((error: unknown) => error);
  await expect.poll(() => requests.length).toBe(1);
  client.abort();
  await answer;
  await expect.poll(() => requests[0]!.signal.aborted).toBe(true);
  expect(requests[0]!.signal.reason).not.toBe(RESPONSE_SENT);
  expect((requests[0]!.signal.reason as Error).name).toBe("AbortError");
  release();
});

test("a response sent to a client that stays connected (keep-alive) ends its request as sent", async () => {
  const { base, requests } = await serve(async (_request, res) => void res.end("done"));
  const agent = new http.Agent({ keepAlive: true });
  for (let i = 0; i < 2; i++) {
    const body = await new Promise<string>((resolve, reject) =>
      http.get(`${base}/quick`, { agent }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve(text));
      }).on("error", reject),
    );
    expect(body).toBe("done");
  }
  await expect.poll(() => requests.every((r) => r.signal.aborted)).toBe(true);
  expect(requests.map((r) => r.signal.reason)).toEqual([RESPONSE_SENT, RESPONSE_SENT]);
  agent.destroy();
});

import http from "node:http";
import { expect } from "@playwright/test";
import { test } from "./nu.ts";

/**
 * The server's front door (app/services/request-guard.server.ts), exercised
 * over real sockets against the production build: what a browser cannot
 * send, an attacker's script can.
 */

const port = Number(process.env.E2E_PORT ?? "3100");
const MB = 1024 * 1024;

type Sent = { status: number; body: string };

/**
 * Declares (or, chunked, streams) a body of `total` bytes but sends only its first MB, then holds the rest back and
 * waits for the answer: a server that judges the size from the declared length, or counts the bytes as they come
 * and stops at its limit, answers now; one that waits for the whole body never does, and the post fails saying so.
 * Nothing here depends on how fast either side is (a sender that ran on until the answer arrived sent 20 MB or
 * more while the server was busy with another spec's pages).
 */
function postLarge(path: string, total: number, headers: Record<string, string>, chunked: boolean): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const first = Buffer.alloc(MB, "a");
    const request = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { ...headers, ...(chunked ? {} : { "Content-Length": String(total) }) } });
    let answered = false;
    const held = setTimeout(() => {
      request.destroy();
      reject(new Error(`No answer to a ${total / MB} MB ${chunked ? "chunked" : "declared"} post to ${path} in 30 s with its first MB sent: the server waits for the whole body`));
    }, 30_000);
    request.on("response", (response) => {
      answered = true;
      clearTimeout(held);
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body });
        request.destroy();
      });
    });
    // The server closes the connection after refusing; a reset after its answer is expected.
    request.on("error", (error) => {
      if (answered) return;
      clearTimeout(held);
      reject(error);
    });
    request.write(first);
  });
}

/** A post exactly as given: Playwright's client always adds a Content-Type. */
function postRaw(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) } });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (piece: string) => (text += piece));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

test("a 300 MB unsigned post to the Stripe webhook is refused with a 413 without being read", async () => {
  // Refused on its declared length, with only the first MB of 300 sent.
  const declared = await postLarge("/webhooks/stripe", 300 * MB, { "Content-Type": "application/json" }, false);
  expect(declared.status).toBe(413);
  expect(declared.body).toBe("A Stripe event can be at most 512 KB; this request was 300 MB. Nothing was saved.\n");
  // Chunked: no length to judge by, so the server counts and stops at the limit, before the rest is sent.
  const chunked = await postLarge("/webhooks/stripe", 300 * MB, { "Content-Type": "application/json" }, true);
  expect(chunked.status).toBe(413);
  expect(chunked.body).toBe("A Stripe event can be at most 512 KB. Nothing was saved.\n");
});

test("100 MB posted to /forgot-password is a 413, declared or chunked; a browser gets a page saying why", async ({ request }) => {
  const form = { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" };
  const declared = await postLarge("/forgot-password", 100 * MB, form, false);
  expect(declared.status).toBe(413);
  expect(declared.body).toContain("<h1>What was sent is too large</h1>");
  expect(declared.body).toContain("A form can be at most 64 KB; this request was 100 MB. Nothing was saved.");
  const chunked = await postLarge("/forgot-password", 100 * MB, form, true);
  expect(chunked.status).toBe(413);
  // A form of ordinary size still works, on the same server.
  const ok = await request.post("/forgot-password", { form: { email: "someone@example.org" } });
  expect(ok.status()).toBe(200);
});

test("Origin: null on a form post is a 403 that says why; a body that is not a form is a 400", async ({ request }) => {
  const nullOrigin = await request.post("/login", { form: { email: "a@example.org", password: "x" }, headers: { Origin: "null" } });
  expect(nullOrigin.status()).toBe(403);
  expect(await nullOrigin.text()).toContain("(Origin: null)");

  const noType = await postRaw("/forgot-password", "email=a@example.org", {});
  expect(noType.status).toBe(400);
  expect(noType.body).toContain("this request's Content-Type was missing");

  const json = await request.post("/login", { data: { email: "a@example.org" } });
  expect(json.status()).toBe(400);
  expect(await json.text()).toContain("“application/json”");
});

test("a form post from the site's own origin is answered, whatever Host or X-Forwarded-Host a proxy in front passes on", async ({ request, baseURL }) => {
  // The front door checks Origin against APP_URL. Remix's own check compares Origin with X-Forwarded-Host or Host,
  // which a proxy that rewrites Host (or a client) sets to something else: that threw, a 500, before the action ran.
  const origin = new URL(baseURL!).origin;
  const forwarded = await request.post("/forgot-password", { form: { email: "someone@example.org" }, headers: { Origin: origin, "X-Forwarded-Host": "10.0.0.7:8080" } });
  expect(forwarded.status()).toBe(200);
  expect(await forwarded.text()).toContain("someone@example.org");
});

test("NUL in a form field, an address parameter or the auth API's JSON is a 400 naming it", async ({ request }) => {
  const field = await request.post("/forgot-password", { form: { email: "a\u0000@example.org" } });
  expect(field.status()).toBe(400);
  expect(await field.text()).toBe("The field “email” contains a NUL character (\\0), which no text here can hold. Remove it and try again.\n");

  const parameter = await request.get("/verify?code=AB%00CD");
  expect(parameter.status()).toBe(400);
  expect(await parameter.text()).toContain("The address parameter “code” contains a NUL character");

  const api = await request.post("/api/auth/update-user", { data: { name: "Sam\u0000" } });
  expect(api.status()).toBe(400);
  expect(await api.json()).toEqual({
    code: "BAD_REQUEST",
    message: "The field “name” contains a NUL character (\\0), which no text here can hold. Remove it and try again.",
    field: "name",
  });
});

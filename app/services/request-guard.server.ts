/**
 * The server's front door (docs/decisions/017-request-guard-at-the-edge.md):
 * rules every request obeys before Remix or better-auth sees it, so that no
 * route can forget them.
 *
 * - Bodies are limited by size before they are read: by Content-Length when
 *   the client declares one, and by counting bytes as they arrive when it
 *   does not (chunked). A body over its limit is a 413; nothing is buffered.
 * - Cross-site and `Origin: null` posts are a 403.
 * - A page's POST must be a form (urlencoded or multipart): anything else
 *   made request.formData() throw, a 500.
 * - A NUL character anywhere a value comes from (the address, a form field,
 *   a JSON field of the auth API) is a 400 that names the parameter or
 *   field. PostgreSQL cannot store NUL in text, so it failed there as a 500.
 *   A person cannot type NUL into a form, so a page naming the field is
 *   enough; the forms' own messages are kept for what people do type.
 *
 * The functions here are pure (they take what they need from the request)
 * so that the rules are unit-tested; app/server.ts wires them to Express.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_IMAGE_BYTES } from "#app/utils/image-validation.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Every form on the site is a few short fields; the largest is an
 * assignment's list of named people, where 64 KiB is about 2,000 addresses
 * (more than that is a team or the whole organisation).
 */
export const FORM_BODY_LIMIT = 64 * KiB;
export const STUDIO_BODY_LIMIT = 2 * MiB;
/**
 * Stripe sends one event per request; the largest we subscribe to (an
 * invoice, which lists at most 10 lines inline) is tens of KiB. 512 KiB
 * leaves ten times that for fields Stripe adds, and still refuses a
 * multi-megabyte post before it is read: the endpoint takes posts from
 * anyone, and only verifies the signature once the whole body is in memory.
 */
export const WEBHOOK_BODY_LIMIT = 512 * KiB;
/** better-auth's JSON endpoints: a name, an address, a password. */
export const API_BODY_LIMIT = 64 * KiB;
/** Room for the multipart envelope and the form's other fields around the file. */
const MULTIPART_ENVELOPE = 64 * KiB;

export type BodyLimit = { bytes: number; what: string };

/** The most a request to `path` may send, and how to describe it in a refusal. */
export function bodyLimitFor(path: string, uploadLimitBytes: number): BodyLimit {
  if (path === "/webhooks/stripe") return { bytes: WEBHOOK_BODY_LIMIT, what: "A Stripe event" };
  if (path.startsWith("/api/auth/")) return { bytes: API_BODY_LIMIT, what: "A request to the sign-in service" };
  // The staff-list upload: the route checks the file itself against
  // uploadLimitBytes (with a message on the page); this stops anything far larger.
  if (/^\/org\/[^/]+\/people\/import\/?$/.test(path) || /^\/org\/[^/]+\/people\/import\.data$/.test(path)) {
    return { bytes: uploadLimitBytes + MULTIPART_ENVELOPE, what: `A staff list (a file of at most ${formatBytes(uploadLimitBytes)})` };
  }
  // Lesson images: the route refuses a file over MAX_IMAGE_BYTES with a message on the page.
  if (path === "/studio/images" || path === "/studio/images.data") {
    return { bytes: MAX_IMAGE_BYTES + MULTIPART_ENVELOPE, what: `An image (a file of at most ${formatBytes(MAX_IMAGE_BYTES)})` };
  }
  // The studio posts whole lesson files and question banks (URL-encoding can triple
  // their size) and module zips; the forms and the zip import check their own limits.
  if (path.startsWith("/studio/")) return { bytes: STUDIO_BODY_LIMIT, what: "A studio form or module zip" };
  return { bytes: FORM_BODY_LIMIT, what: "A form" };
}

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${Math.round((bytes / MiB) * 10) / 10} MB`;
  return `${Math.round(bytes / KiB)} KB`;
}

export type Refusal = {
  status: 400 | 403 | 413;
  title: string;
  message: string;
  /** The form field or address parameter at fault, for JSON clients. */
  field?: string;
};

export function tooLarge(limit: BodyLimit, declared: number | null): Refusal {
  return {
    status: 413,
    title: "What was sent is too large",
    message: `${limit.what} can be at most ${formatBytes(limit.bytes)}${declared !== null ? `; this request was ${formatBytes(declared)}` : ""}. Nothing was saved.`,
  };
}

/** The Content-Length the client declared, or null (chunked, or none). */
export function declaredLength(header: string | undefined): number | null {
  if (header === undefined || !/^\d{1,16}$/.test(header.trim())) return null;
  return Number(header.trim());
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function hasBody(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

/**
 * A SAML identity provider answers with an auto-posted form from its own site
 * (some send Origin: null). Its proof is the signed assertion, which
 * @better-auth/sso checks with the organisation's certificate (ADR 037); no
 * cookie of ours rides on the post (SameSite=Lax).
 */
export function postedByIdentityProvider(path: string): boolean {
  return /^\/api\/auth\/sso\/saml2\/sp\/acs\/[^/]+$/.test(path);
}

/**
 * Cross-site posts are refused (belt and braces beside SameSite=Lax
 * cookies). Requests without an Origin (curl, Stripe) pass. `Origin: null`
 * comes from a sandboxed frame, a file or a redirect across sites: never
 * from our own pages, whose Referrer-Policy keeps the origin on same-site
 * posts. It used to pass this check and then made the auth origin check
 * throw, a 500.
 */
export function checkOrigin(method: string, origin: string | undefined, appOrigin: string, path = ""): Refusal | null {
  if (!hasBody(method) || origin === undefined || postedByIdentityProvider(path)) return null;
  if (origin === "null") {
    return {
      status: 403,
      title: "This form cannot be sent from there",
      message: `The browser did not say which site the form came from (Origin: null), so it was refused. Open ${appOrigin} and send the form from there.`,
    };
  }
  if (origin !== appOrigin) {
    return { status: 403, title: "Cross-site request refused", message: `Cross-site request refused: ${origin} is not ${appOrigin}.` };
  }
  return null;
}

/** Paths whose bodies are not forms: Stripe's JSON, better-auth's JSON API. */
function takesOtherBodies(path: string): boolean {
  return path === "/webhooks/stripe" || path.startsWith("/api/auth/");
}

/**
 * Every page's action reads a form; request.formData() throws on any other
 * body (JSON, text, none at all), which was a 500.
 */
export function checkContentType(method: string, path: string, contentType: string | undefined): Refusal | null {
  if (!hasBody(method) || takesOtherBodies(path)) return null;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/x-www-form-urlencoded") return null;
  if (type === "multipart/form-data" && /;\s*boundary=/i.test(contentType ?? "")) return null;
  return {
    status: 400,
    title: "This address takes a form",
    message: `Send a form here (Content-Type application/x-www-form-urlencoded or multipart/form-data); this request's Content-Type was ${contentType ? `“${contentType.slice(0, 100)}”` : "missing"}.`,
  };
}

const NUL = "\u0000";

function nulRefusal(where: string, field: string): Refusal {
  return {
    status: 400,
    title: "A value contains a NUL character",
    message: `The ${where} “${field.replaceAll(NUL, "\\0").slice(0, 100)}” contains a NUL character (\\0), which no text here can hold. Remove it and try again.`,
    field,
  };
}

/** NUL in the path or in any query parameter's name or value. */
export function checkAddress(originalUrl: string): Refusal | null {
  const url = new URL(originalUrl, "http://distinct.invalid");
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400, title: "This address is not valid", message: "The address has a broken %-escape; check the link you followed." };
  }
  if (path.includes(NUL)) return { status: 400, title: "This address is not valid", message: "The address contains a NUL character (%00); check the link you followed." };
  for (const [name, value] of url.searchParams) {
    if (name.includes(NUL) || value.includes(NUL)) return nulRefusal("address parameter", name);
  }
  return null;
}

/**
 * NUL in a urlencoded form field or in a JSON body's strings (the auth
 * API's update-user, sign-up ...). Multipart bodies carry files, which the
 * upload checks line by line itself.
 */
export function checkBody(path: string, contentType: string | undefined, body: Buffer): Refusal | null {
  if (!body.includes(0x00) && !body.includes("%00") && !body.includes("\\u0000")) return null;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/x-www-form-urlencoded") {
    for (const [name, value] of new URLSearchParams(body.toString("utf8"))) {
      if (name.includes(NUL) || value.includes(NUL)) return nulRefusal("field", name);
    }
    return null;
  }
  if (type === "application/json" && path.startsWith("/api/auth/")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return null; // better-auth answers malformed JSON itself.
    }
    const field = fieldWithNul(parsed, "");
    return field === null ? null : nulRefusal("field", field);
  }
  return null;
}

function fieldWithNul(value: unknown, at: string): string | null {
  if (typeof value === "string") return value.includes(NUL) ? at || "(the body)" : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = fieldWithNul(item, `${at}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const here = at ? `${at}.${key}` : key;
      if (key.includes(NUL)) return here;
      const found = fieldWithNul(item, here);
      if (found !== null) return found;
    }
  }
  return null;
}

// ------------------------------------------------------------ I/O

export type BodyRead = { ok: true; body: Buffer } | { ok: false; refusal: Refusal } | { ok: false; refusal: null };

/**
 * Reads a request body into memory, never more than `limit` bytes of it.
 * Resolves `refusal: null` when the client went away mid-body.
 */
export function readLimitedBody(req: IncomingMessage, limit: BodyLimit): Promise<BodyRead> {
  const declared = declaredLength(req.headers["content-length"]);
  if (declared !== null && declared > limit.bytes) return Promise.resolve({ ok: false, refusal: tooLarge(limit, declared) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: BodyRead) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit.bytes) {
        // Counted, not trusted: a chunked body (or a lying Content-Length) stops here.
        req.pause();
        finish({ ok: false, refusal: tooLarge(limit, null) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, received) });
    const onGone = () => finish({ ok: false, refusal: null });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  });
}

/** After a refusal, how long to drop what a client is still sending before cutting the connection. */
const LINGER_MS = 3_000;

/**
 * Answers a refusal as the client reads best: a page for browsers, JSON for
 * the auth API, text otherwise. What is still arriving of the body is
 * dropped as it comes (never kept) for a few seconds, then the connection
 * is cut: closing a socket with unread data sends a reset, which can reach
 * the client before it has read our answer ("lingering close", as web
 * servers do). A client that reads the answer stops sending.
 */
export function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: Refusal, bodyPending: boolean) {
  const accept = req.headers.accept ?? "";
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  let type: string;
  let text: string;
  if (path.startsWith("/api/")) {
    type = "application/json; charset=utf-8";
    text = JSON.stringify({ code: codeFor(refusal), message: refusal.message, ...(refusal.field ? { field: refusal.field } : {}) });
  } else if (/text\/html/.test(accept)) {
    type = "text/html; charset=utf-8";
    text = refusalPage(refusal);
  } else {
    type = "text/plain; charset=utf-8";
    text = `${refusal.message}\n`;
  }
  res.statusCode = refusal.status;
  res.setHeader("Content-Type", type);
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'");
  res.end(text);
  if (!bodyPending) return;
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  timer.unref();
  req.on("end", () => clearTimeout(timer));
  req.resume();
}

function codeFor(refusal: Refusal): string {
  if (refusal.status === 413) return "PAYLOAD_TOO_LARGE";
  if (refusal.status === 403) return "FORBIDDEN";
  return "BAD_REQUEST";
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain page in the site's words: it is shown before Remix runs, so it has no layout of its own. */
function refusalPage(refusal: Refusal): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(refusal.title)} – Distinct</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}</style>
</head>
<body>
<main>
<h1>${escapeHtml(refusal.title)}</h1>
<p>${escapeHtml(refusal.message)}</p>
<p>Go back to the previous page and try again, or go to the <a href="/">home page</a>.</p>
<p>Error ${refusal.status}</p>
</main>
</body>
</html>
`;
}

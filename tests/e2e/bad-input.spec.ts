import fs from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Browser, type BrowserContext } from "@playwright/test";
import { test } from "./nu.ts";
import { adminCredentials, ROOT, signIn, STATE_DIR, uid } from "./helpers.ts";

/**
 * The bad-input corpus (issue 14): every form the site shows, found by
 * crawling it as each role, gets every value below in each of its fields, as
 * a script would send it (no browser checks). No answer may be a 5xx; a NUL,
 * an impossible date or 10,000 characters is refused naming the field; a
 * refused post of a training lead changes nothing the organisation's audit
 * log or teams page shows (no partial write).
 *
 * The forms are discovered, not listed: the route files in app/routes are
 * read to know which routes take posts, and the crawl must find a form for
 * each of them unless it is listed in NOT_CRAWLED with the reason.
 */

type Seed = { org: { slug: string }; otherLead: { email: string; password: string }; otherOrgId: string };
const seed = (): Seed => JSON.parse(fs.readFileSync(path.join(STATE_DIR, "reports-seed.json"), "utf8")) as Seed;

type Value = { label: string; value: string | string[] };

/** 12 values per visible field (6 per hidden one): the product with the fields is the request count, printed at the end. */
const CORPUS: Value[] = [
  { label: "empty", value: "" },
  { label: "10k characters", value: "x".repeat(10_000) },
  { label: "NUL", value: "a\u0000b" },
  { label: "RTL and emoji", value: "\u202Eمرحبا بالعالم 🚓👮🏽‍♀️" },
  { label: "HTML", value: '<script>alert(1)</script><img src=x onerror=alert(1)>' },
  { label: "SQL-like", value: "' OR 1=1; DROP TABLE \"user\"; --" },
  { label: "wrong type (repeated field)", value: ["first", "second"] },
  { label: "huge number", value: "99999999999999999999999" },
  { label: "negative number", value: "-1" },
  { label: "year 0000", value: "0000-01-01" },
  { label: "year 9999", value: "9999-12-31" },
  { label: "month 13", value: "2026-13-01" },
];

/** Hidden fields (intent, ids) are not typed: the values a tampered form would carry are enough. */
const HIDDEN_CORPUS = new Set(["empty", "10k characters", "NUL", "HTML", "SQL-like", "wrong type (repeated field)"]);

/** Routes with an action that the crawl does not post to, and why. */
const NOT_CRAWLED: Record<string, string> = {
  "api.auth.$": "better-auth's JSON API, not a form: its NUL and size cases are in front-door.spec.ts",
  "webhooks.stripe": "Stripe's signed JSON, not a form: size limits in front-door.spec.ts, malformed events in tests/integration/stripe.test.ts",
  logout: "signs the crawler out",
  setup: "its form exists only with the one-time token, used up when the suite made its admin",
  "reset-password": "its form needs a token from a mail",
  "verify-email": "its form needs a token from a mail",
  "invitations.$token": "its form needs an invitation link from a mail",
  "account.delete": "a post that got through would delete the crawling role's own account, which later specs sign in as; its bad input (wrong password, missing confirmation) is posted through the action in tests/integration/privacy.test.ts",
  "admin.certificates.$code": "a valid reason would revoke a certificate the reports spec counts",
  "certificates._index": "its form (renew) shows only beside a certificate near its expiry, which the crawling lead has not got",
  "studio.images": "a multipart upload (the crawler skips files): tests/integration/lesson-images.test.ts sends it each bad file",
  "admin.seat-requests": "its form shows only beside an open seat request, and a valid note would handle one that tests/e2e/seat-requests.spec.ts follows; bad notes and ids are posted through the action in tests/integration/seat-requests.test.ts",
  "org.$orgSlug.sso": "a post that got through would put the crawling lead's force behind single sign-on, and later specs sign its people in by password; its bad input (a foreign domain, an issuer that is not https) is posted in tests/integration/sso-oidc.test.ts, and the SAML form's (not a certificate, a private key, an expired certificate, a URL that is not https, metadata that is not metadata, an empty field, a foreign domain) in tests/integration/sso-saml.test.ts, which checks nothing is written",
  "login_.magic-link": "its form exists only with a mailed one-time token; used and expired tokens are posted in tests/integration/magic-link.test.ts",
  "modules.$slug.quiz.$attemptId": "an attempt is reached only by starting one; the quiz form is covered by tests/integration/quiz.test.ts",
  "learning_.cpd.$enrolmentId": "a reflection form exists only beside a completed module, which the crawling lead has not got; its bad input is posted in tests/integration/cpd.test.ts and tests/e2e/scorm-cpd.spec.ts",
  "scorm.launch": "its form exists only with a SCORM package's signed token; forged, moved and withdrawn tokens are in tests/integration/scorm.test.ts",
  // The studio (issue 17): a post that got through would create, retire or publish modules that every other spec reads.
  "studio._index": "creates modules the catalogue specs would then show; bad input is posted in tests/integration/studio-bad-input.test.ts",
  "studio.$slug._index": "retires or edits modules other specs take; bad input is posted in tests/integration/studio-bad-input.test.ts",
  "studio.$slug.files.$file": "its form exists only while a draft is open; bad input is posted in tests/integration/studio-bad-input.test.ts",
  "studio.$slug.details": "its form exists only while a draft is open; bad input is posted in tests/integration/studio-bad-input.test.ts",
  "studio.$slug.questions._index": "its forms exist only while a draft is open; bad input and bad files are posted in tests/integration/studio-questions.test.ts",
  "studio.$slug.questions.new": "its form exists only while a draft is open; bad input is posted in tests/integration/studio-questions.test.ts",
  "studio.$slug.questions.$id.edit": "its form exists only while a draft is open; bad input is posted in tests/integration/studio-questions.test.ts",
  "studio.$slug.review": "its form exists only while a draft is open, and approving publishes; bad input is posted in tests/integration/studio-bad-input.test.ts",
  "studio.$slug.import": "a zip upload (multipart), shown only without an open draft; bad zips are posted in tests/integration/studio-bad-input.test.ts",
  "modules.$slug.what-changed": "its form shows only to a learner who completed a version before a material change (tests/e2e/studio.spec.ts)",
};

/** Paths the crawler does not follow (downloads, and what signs out). */
const SKIP_LINK = /\/logout|\.pdf$|\.csv$|\.xlsx$|\.json$|\/pdf$|\/template$|\/download$|^\/build\//;

// ------------------------------------------------------------ routes

type Route = { id: string; pattern: RegExp; hasAction: boolean };

/** app/routes, as Remix's flat routes name them, with a pattern for their addresses. */
function routeFiles(): Route[] {
  const dir = path.join(ROOT, "app", "routes");
  return fs.readdirSync(dir).map((entry) => {
    const file = fs.statSync(path.join(dir, entry)).isDirectory() ? path.join(dir, entry, "route.tsx") : path.join(dir, entry);
    const id = entry.replace(/\.(tsx|ts)$/, "");
    const segments = id
      .replace("[.csv]", "\u0001csv")
      .split(".")
      .filter((s) => s !== "_index")
      .map((s) => (s === "$" ? ".*" : s.startsWith("$") ? "[^/]+" : s.replace("\u0001", "\\.").replace(/[-]/g, "\\-")));
    const pattern = new RegExp(`^/${segments.join("/")}/?$`.replace("^//?$", "^/$"));
    return { id, pattern, hasAction: /export (async )?function action/.test(fs.readFileSync(file, "utf8")) };
  })
    // Most specific first, as Remix ranks them: the catch-all last, then by parameters.
    .sort((a, b) => rank(a.id) - rank(b.id));
}

function rank(id: string): number {
  if (id === "$") return 1000;
  return id.split(".").filter((s) => s.startsWith("$")).length;
}

// ------------------------------------------------------------ crawling

type Field = { name: string; type: string; id: string; value: string; visible: boolean };
type FoundForm = { method: "get" | "post"; action: string; enctype: string; fields: Field[]; page: string; role: string };

async function crawl(
  context: BrowserContext,
  role: string,
  starts: string[],
  allow: RegExp,
  routeOf: (path: string) => string,
): Promise<{ forms: FoundForm[]; pages: string[] }> {
  const page = await context.newPage();
  const queue = [...starts];
  const seen = new Set<string>();
  const perRoute = new Map<string, number>();
  const forms: FoundForm[] = [];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next) || !allow.test(next)) continue;
    // One address of each route (one lesson, one person) is enough once it
    // has shown a form to post; until then up to three (a person who has left,
    // as earlier specs leave some, has no form on their page).
    const route = routeOf(next);
    const tried = perRoute.get(route) ?? 0;
    if (tried < 0 || tried >= 3) continue;
    perRoute.set(route, tried + 1);
    seen.add(next);
    const response = await page.goto(next);
    if (!response || response.status() >= 400) continue;
    const found = await page.$$eval("form", (elements) =>
      elements.map((form) => ({
        method: (form.getAttribute("method") ?? "get").toLowerCase(),
        action: new URL(form.getAttribute("action") ?? window.location.href, window.location.href).pathname,
        enctype: form.getAttribute("enctype") ?? "application/x-www-form-urlencoded",
        fields: Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement>("input[name], select[name], textarea[name], button[name]"))
          .filter((el) => !(el instanceof HTMLButtonElement) || el.type === "submit")
          .map((el) => {
            let value = el.value;
            if (el instanceof HTMLSelectElement) value = Array.from(el.options).find((o) => o.value !== "")?.value ?? "";
            const type = el instanceof HTMLInputElement ? el.type : el.tagName.toLowerCase();
            // A radio group's message is at its fieldset; a honeypot (tabindex -1) has none.
            const id = type === "radio" ? (el.closest("fieldset")?.id ?? "") : el.id;
            return { name: el.name, type, id, value, checked: el instanceof HTMLInputElement ? el.checked : false, honeypot: el.tabIndex === -1 };
          }),
      })),
    );
    if (found.some((f) => f.method === "post")) perRoute.set(route, -1);
    for (const f of found) {
      // One field per name: the first submit button, the checked (else first) radio.
      const byName = new Map<string, Field>();
      for (const el of f.fields) {
        const existing = byName.get(el.name);
        if (existing && !(el.type === "radio" && el.checked)) continue;
        if (el.type === "checkbox" && !el.checked) continue;
        byName.set(el.name, { name: el.name, type: el.type, id: el.id, value: el.value, visible: el.type !== "hidden" && el.type !== "submit" && !el.honeypot });
      }
      forms.push({ method: f.method === "post" ? "post" : "get", action: f.action, enctype: f.enctype, fields: [...byName.values()], page: next, role });
    }
    const links = await page.$$eval("a[href]", (as) => as.map((a) => new URL(a.getAttribute("href")!, window.location.href)).filter((u) => u.origin === window.location.origin).map((u) => u.pathname));
    for (const link of links) if (!SKIP_LINK.test(link) && !seen.has(link)) queue.push(link);
  }
  await page.close();
  return { forms, pages: [...seen] };
}

// ------------------------------------------------------------ posting

/** A value each kind of field accepts, so the field under test is the one at fault. */
function plausible(field: Field, run: string): string {
  if (field.value !== "" || field.type === "hidden" || field.type === "submit") return field.value;
  if (field.type === "email" || /email/i.test(field.name)) return `corpus.${run}@example.org`;
  if (field.type === "password" || /password/i.test(field.name)) return "corpus pass phrase words";
  if (field.type === "date" || /date|due(From|To)|since/i.test(field.name)) return "2027-06-30";
  if (field.type === "number" || /seats|days|page/i.test(field.name)) return "5";
  if (/slug/i.test(field.name)) return `corpus-${run}`;
  if (/domains/i.test(field.name)) return "";
  return `Corpus ${run}`;
}

function encode(fields: [string, string][]): string {
  const params = new URLSearchParams();
  for (const [name, value] of fields) params.append(name, value);
  return params.toString();
}

type Problem = string;

async function fingerprint(request: APIRequestContext, slug: string): Promise<string> {
  // Every change a training lead can make (people, teams, assignments, extensions, imports) is audited.
  return /<main[\s\S]*<\/main>/.exec(await (await request.get(`/org/${slug}/audit`)).text())?.[0] ?? "";
}

function namesField(body: string, field: Field): boolean {
  if (body.includes(`“${field.name}”`)) return true; // the front door's refusals
  if (field.id && (body.includes(`href="#${field.id}"`) || body.includes(`id="${field.id}-error"`))) return true;
  return false;
}

const DATE_LIKE = new Set(["year 0000", "year 9999", "month 13"]);

async function postCorpus(request: APIRequestContext, form: FoundForm, orgSlug: string | null, counts: { requests: number }): Promise<Problem[]> {
  const problems: Problem[] = [];
  const run = uid();
  const base = form.fields.map((f) => [f.name, plausible(f, run)] as [string, string]);
  const send = async (field: Field, item: Value) => {
    const values = Array.isArray(item.value) ? item.value : [item.value];
    const fields = base.flatMap(([name, value]): [string, string][] => (name === field.name ? values.map((v) => [name, v] as [string, string]) : [[name, value]]));
    counts.requests++;
    const response =
      form.method === "get"
        ? await request.get(`${form.action}?${encode(fields)}`, { headers: { Accept: "text/html" }, maxRedirects: 0 })
        : await request.post(form.action, {
            data: encode(fields),
            headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
            maxRedirects: 0,
          });
    return { status: response.status(), body: await response.text() };
  };
  for (const field of form.fields) {
    if (field.type === "submit" && field.name !== "intent") continue;
    const where = (item: Value) => `${form.role} ${form.method.toUpperCase()} ${form.action} (form on ${form.page}) field “${field.name}” = ${item.label}`;
    // A refused post must change nothing the organisation's audit log shows. The log is read once
    // before and once after the field's values; only when some value was accepted (a change is then
    // expected), or the log changed, is each refused value posted again between two readings of it.
    const before = orgSlug ? await fingerprint(request, orgSlug) : null;
    const refusedItems: { item: Value; status: number }[] = [];
    let accepted = false;
    for (const item of CORPUS) {
      if (!field.visible && !HIDDEN_CORPUS.has(item.label)) continue;
      const { status, body } = await send(field, item);
      if (status >= 500) {
        problems.push(`${where(item)}: ${status}`);
        continue;
      }
      const refused = status >= 400;
      if (refused) refusedItems.push({ item, status });
      else accepted = true;
      if (item.label === "NUL" && !(status === 400 && namesField(body, field))) problems.push(`${where(item)}: ${status}, not a 400 naming the field`);
      // A choice of a record that does not exist (a person, a team) is a 404, as a typed address would be.
      const unknownRecord = status === 404 && field.type === "select";
      if (field.visible && refused && !unknownRecord && (item.label === "10k characters" || (DATE_LIKE.has(item.label) && field.type === "date")) && !namesField(body, field)) {
        problems.push(`${where(item)}: ${status} without a message at the field`);
      }
      if (field.type === "date" && !refused && form.method === "post" && DATE_LIKE.has(item.label)) problems.push(`${where(item)}: an impossible date was accepted (${status})`);
    }
    if (!orgSlug || refusedItems.length === 0) continue;
    if (!accepted && (await fingerprint(request, orgSlug)) === before) continue;
    let reading = await fingerprint(request, orgSlug);
    let found = false;
    for (const { item } of refusedItems) {
      const { status } = await send(field, item);
      const after = await fingerprint(request, orgSlug);
      if (status >= 400 && after !== reading) {
        problems.push(`${where(item)}: refused with ${status} but the audit log or teams changed`);
        found = true;
      }
      reading = after;
    }
    if (!accepted && !found) problems.push(`${form.role} ${form.method.toUpperCase()} ${form.action} field “${field.name}”: every value was refused, but the audit log or teams changed`);
  }
  return problems;
}

async function signedIn(browser: Browser, user: { email: string; password: string } | null): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  if (user) {
    const page = await context.newPage();
    await signIn(page, user);
    await page.close();
  }
  return context;
}

test("every form, found by crawling as each role, refuses the bad-input corpus without a 5xx or a partial write", async ({ browser }) => {
  test.setTimeout(120_000);
  const started = Date.now();
  const { org, otherLead, otherOrgId } = seed();
  // The other force of the seed: the reports spec only checks that its lead sees none of the first.
  const slug = /^other-/.test(org.slug) ? org.slug : (await otherOrgSlug(browser, otherLead)) ?? org.slug;
  const admin = await adminCredentials(browser);

  const anonymous = await signedIn(browser, null);
  const lead = await signedIn(browser, otherLead);
  const platform = await signedIn(browser, admin);
  // A learner's forms (lessons, the quiz) appear once a module is started: start one as a person would.
  const starter = await lead.newPage();
  await starter.goto("/modules/recognising-stalking");
  const start = starter.getByRole("button", { name: /start|continue/i }).first();
  if (await start.count()) {
    // Wait for the post to be answered: closing the page mid-post would abort it.
    await Promise.all([starter.waitForURL(/\/modules\/recognising-stalking\/.+/), start.click()]);
  }
  await starter.close();
  // An invited person, an assignment and an uploaded staff list give their pages (a person's details,
  // extensions, apply) forms to find: earlier specs may have removed the seed's people of this force.
  // Each answer is checked, so a setup step that fails says so here rather than as a missing form later.
  const invited = await lead.request.post(`/org/${slug}/people/invite`, {
    form: { email: `corpus.invited.${uid()}@example.org`, name: "Corpus Invited", staffNumber: "", rank: "", teamId: "", role: "member" },
    maxRedirects: 0,
  });
  expect(invited.status(), `invite: ${await invited.text()}`).toBe(302);
  const assigned = await lead.request.post(`/org/${slug}/assignments/new`, {
    form: { module: "the-law", target: "organisation", dueType: "none" },
    maxRedirects: 0,
  });
  expect([302, 400], `assign: ${await assigned.text()}`).toContain(assigned.status());
  const uploaded = await lead.request.post(`/org/${slug}/people/import`, {
    multipart: { file: { name: "staff.csv", mimeType: "text/csv", buffer: Buffer.from(`email,name\ncorpus.${uid()}@example.org,Corpus Person\n`) } },
    maxRedirects: 0,
  });
  expect(uploaded.status(), `upload: ${await uploaded.text()}`).toBe(302);

  const routes = routeFiles();
  const routeOf = (p: string) => routes.find((r) => r.pattern.test(p))?.id ?? `(no route for ${p})`;
  // Each role stays where its posts cannot change what other specs count:
  // the lead in its own organisation, the admin in /admin, where the only
  // organisation's licences page it visits is the lead's (a licence granted
  // to another spec's organisation would change the seats that spec reads,
  // and with several workers any organisation may be listed first).
  // The three roles crawl side by side (each in its own browser context).
  const adminAllowed = new RegExp(`^/admin(?!/organisations/(?!${otherOrgId}/)[^/]+/licences)`);
  const [anonymousCrawl, leadCrawl, adminCrawl] = await Promise.all([
    crawl(anonymous, "anonymous", ["/", "/login", "/signup", "/forgot-password", "/verify", "/tools/is-it-stalking", "/modules"], /^\/(?!org\/|admin)/, routeOf),
    crawl(lead, "lead", [`/org/${slug}`, `/org/${slug}/people`, `/org/${slug}/assignments`, `/org/${slug}/people/import`, "/learning", "/certificates", "/modules/the-law", "/modules/recognising-stalking/what-stalking-is", "/modules/recognising-stalking/quiz"], new RegExp(`^/(org/${slug}(/|$)|learning|certificates|modules)`), routeOf),
    crawl(platform, "admin", ["/admin", "/admin/organisations", "/admin/organisations/new", "/admin/insight"], adminAllowed, routeOf),
  ]);
  const crawls = [
    { role: "anonymous", context: anonymous, ...anonymousCrawl },
    { role: "lead", context: lead, ...leadCrawl },
    { role: "admin", context: platform, ...adminCrawl },
  ];
  const crawled = Date.now();

  // Discovery: each route that takes a post has a form the crawl found, or a reason it has not.
  const allForms = crawls.flatMap((c) => c.forms.map((f) => ({ ...f, context: c.context })));
  const posted = new Set(allForms.filter((f) => f.method === "post").map((f) => routeOf(f.action)));
  fs.writeFileSync(path.join(STATE_DIR, "bad-input-crawl.json"), JSON.stringify({ crawls: crawls.map((c) => ({ role: c.role, pages: c.pages, forms: c.forms.map((f) => [f.method, f.action, routeOf(f.action)]) })) }, null, 1));
  const missing = routes.filter((r) => r.hasAction && !posted.has(r.id) && !(r.id in NOT_CRAWLED)).map((r) => r.id);
  expect(missing, "routes with an action whose form the crawl did not find").toEqual([]);

  // One of each form: the same form on many pages (sign out, filters) is posted once.
  const unique = new Map<string, (typeof allForms)[number]>();
  for (const form of allForms) {
    const route = routeOf(form.action);
    if (form.method === "post" && route in NOT_CRAWLED) continue;
    if (form.enctype.startsWith("multipart/")) continue; // the staff-list upload: tests/integration/organisations.test.ts sends it bad files
    // The same form for two roles (a filter, /verify) is posted once, by the first role that found it.
    const key = `${form.method} ${route} ${form.fields.map((f) => `${f.name}=${f.name === "intent" ? f.value : ""}`).sort().join("&")}`;
    if (!unique.has(key)) unique.set(key, form);
  }

  const counts = { requests: 0 };
  const fields = [...unique.values()].reduce((n, form) => n + form.fields.length, 0);
  // The lead's posts one at a time, the admin's after them: a platform admin's post (seats
  // granted to an organisation) is audited in that organisation's log too, so posts side by
  // side could not tell whose post changed it. Searches (GET forms) and the anonymous posts
  // change no organisation's log: they go side by side with the lead's.
  const problems: Problem[] = [];
  const forms = [...unique.values()];
  const inTurn = async (list: typeof forms) => {
    for (const form of list) {
      const orgScoped = form.method === "post" && form.action.startsWith(`/org/${slug}/`);
      problems.push(...(await postCorpus(form.context.request, form, orgScoped ? slug : null, counts)));
    }
  };
  const beside = (form: (typeof forms)[number]) => form.method === "get" || form.role === "anonymous";
  await Promise.all([inTurn(forms.filter((f) => f.role === "lead" && !beside(f))), inTurn(forms.filter(beside))]);
  await inTurn(forms.filter((f) => f.role === "admin" && !beside(f)));
  await Promise.all([anonymous.close(), lead.close(), platform.close()]);
  console.log(
    `bad-input corpus: ${CORPUS.length} values (${HIDDEN_CORPUS.size} for hidden fields) × ${fields} fields of ${unique.size} forms (${[...posted].length} routes posted to, ` +
      `${crawls.reduce((n, c) => n + c.pages.length, 0)} pages crawled) = ${counts.requests} requests; ${Math.round((crawled - started) / 1000)} s to sign in and crawl, ${Math.round((Date.now() - crawled) / 1000)} s to post`,
  );
  expect(problems).toEqual([]);
});

/** The seed's second organisation, as its lead is sent to it on signing in. */
async function otherOrgSlug(browser: Browser, user: { email: string; password: string }): Promise<string | null> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, user);
  const href = await page.locator('a[href^="/org/"]').first().getAttribute("href");
  await context.close();
  return href ? (/^\/org\/([^/]+)/.exec(href)?.[1] ?? null) : null;
}

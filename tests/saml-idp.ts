import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import samlifyDefault, * as samlify from "samlify";

/**
 * A real SAML 2.0 identity provider for the single sign-on tests: samlify's
 * IdentityProvider signs each response with an RSA key and a self-signed
 * certificate that `openssl` makes at test time (nothing secret is kept in
 * the repository). The test reads our AuthnRequest from the redirect, and the
 * IdP answers it; options make the bad answers a test needs (wrong audience,
 * expired, assertion unsigned, nothing signed).
 */

// Node's ESM loader does not see samlify's SamlLib export (a getter over
// __importDefault); the default export (module.exports) has it.
const SamlLib = samlify.SamlLib ?? samlifyDefault.SamlLib;

export type SigningKey = { key: string; cert: string };

/** A fresh RSA key and self-signed certificate (valid for two days), made by openssl. */
export function makeSigningKey(commonName = "Test Identity Provider"): SigningKey {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saml-idp-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj", `/CN=${commonName}`, "-keyout", keyFile, "-out", certFile], { stdio: "ignore" });
    return { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What our AuthnRequest (HTTP-Redirect binding) asked for. */
export type AuthnRequest = { id: string; acsUrl: string; spEntityId: string; relayState: string };

/** Reads the AuthnRequest from the sign-on URL Distinct redirected to (base64 of raw DEFLATE). */
export function readAuthnRequest(url: URL): AuthnRequest {
  const encoded = url.searchParams.get("SAMLRequest");
  if (!encoded) throw new Error(`no SAMLRequest in ${url.href}`);
  const xml = zlib.inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(xml)?.[1] ?? "";
  const spEntityId = /<(?:saml:)?Issuer[^>]*>([^<]*)<\/(?:saml:)?Issuer>/.exec(xml)?.[1] ?? "";
  return { id: attr("ID"), acsUrl: attr("AssertionConsumerServiceURL"), spEntityId: unescapeXml(spEntityId), relayState: url.searchParams.get("RelayState") ?? "" };
}

function unescapeXml(text: string): string {
  return text.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'");
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export type SamlPerson = { email: string; givenName: string; surname: string; emailVerified?: boolean };

export type ResponseOptions = {
  /** The Audience; the SP's entity ID when not given. */
  audience?: string;
  /** Minutes from now for NotOnOrAfter (5 when not given; negative for an expired assertion). */
  validForMinutes?: number;
  /** "assertion" (the default, as Distinct requires), "response" (the message only) or "none". */
  sign?: "assertion" | "response" | "none";
  /** The assertion's ID (a fresh one when not given). */
  assertionId?: string;
};

export function createSamlIdp(options: { entityId: string; ssoUrl: string; signing: SigningKey }) {
  const idp = samlify.IdentityProvider({
    entityID: options.entityId,
    privateKey: options.signing.key,
    signingCert: options.signing.cert,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: options.ssoUrl }],
    nameIDFormat: ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"],
  });

  /** The IdP's metadata XML, as a force's IT team would download it. */
  function metadataXml(): string {
    return idp.getMetadata();
  }

  /** A base64 SAMLResponse answering `request` for `person`. */
  async function respond(request: AuthnRequest, person: SamlPerson, opts: ResponseOptions = {}): Promise<string> {
    const sign = opts.sign ?? "assertion";
    const sp = samlify.ServiceProvider({
      entityID: request.spEntityId,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: request.acsUrl }],
      wantAssertionsSigned: sign === "assertion",
    });
    const now = new Date();
    const minutes = opts.validForMinutes ?? 5;
    const notOnOrAfter = new Date(now.getTime() + minutes * 60_000).toISOString();
    const notBefore = new Date(Math.min(now.getTime(), now.getTime() + (minutes - 10) * 60_000)).toISOString();
    const attributes: [string, string][] = [
      ["email", person.email],
      ["givenName", person.givenName],
      ["surname", person.surname],
      ...(person.emailVerified === undefined ? [] : [["email_verified", String(person.emailVerified)] as [string, string]]),
    ];
    const values = {
      ID: `_${crypto.randomUUID()}`,
      AssertionID: opts.assertionId ?? `_${crypto.randomUUID()}`,
      Destination: request.acsUrl,
      Audience: opts.audience ?? request.spEntityId,
      EntityID: request.spEntityId,
      SubjectRecipient: request.acsUrl,
      Issuer: options.entityId,
      IssueInstant: now.toISOString(),
      StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
      ConditionsNotBefore: notBefore,
      ConditionsNotOnOrAfter: notOnOrAfter,
      SubjectConfirmationDataNotOnOrAfter: notOnOrAfter,
      NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
      NameID: person.email,
      InResponseTo: request.id,
    };
    // XML fragments: put in before replaceTagsByValue, which escapes every value it puts in.
    const fragments = {
      AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_${crypto.randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
      AttributeStatement: `<saml:AttributeStatement>${attributes
        .map(([name, value]) => `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`)
        .join("")}</saml:AttributeStatement>`,
    };
    const fill = (template: string) =>
      SamlLib.replaceTagsByValue(template.replace("{AuthnStatement}", fragments.AuthnStatement).replace("{AttributeStatement}", fragments.AttributeStatement), values);
    const xml = fill(SamlLib.defaultLoginResponseTemplate.context);
    if (sign === "none") return Buffer.from(xml, "utf8").toString("base64");
    const response = await idp.createLoginResponse(sp, { extract: { request: { id: request.id } } }, "post", { email: person.email }, (template: string) => ({
      id: values.ID,
      context: fill(template),
    }));
    return response.context;
  }

  return { metadataXml, respond, entityId: options.entityId, ssoUrl: options.ssoUrl };
}

export type SamlIdp = ReturnType<typeof createSamlIdp>;

/** Changes the signed person's address inside a response: the signature no longer matches. */
export function tamper(samlResponse: string, from: string, to: string): string {
  const xml = Buffer.from(samlResponse, "base64").toString("utf8");
  if (!xml.includes(from)) throw new Error(`the response does not contain ${from}`);
  return Buffer.from(xml.split(from).join(to), "utf8").toString("base64");
}

/**
 * The IdP's pages on loopback for the browser tests: GET the sign-on URL
 * shows a sign-in form (the username names the person, set with
 * `people.set`); its POST answers with the auto-posting form real IdPs send,
 * whose "Continue" button carries the response without JavaScript.
 */
export async function startSamlIdpServer(options: { port: number; signing: SigningKey }) {
  const origin = `http://127.0.0.1:${options.port}`;
  const idp = createSamlIdp({ entityId: `${origin}/metadata`, ssoUrl: `${origin}/sso`, signing: options.signing });
  const people = new Map<string, SamlPerson>();
  const page = (title: string, body: string) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", origin);
      if (req.method === "GET" && url.pathname === "/sso") {
        const request = readAuthnRequest(url);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(
          page(
            "Test identity provider",
            `<form method="post" action="/sso"><input type="hidden" name="request" value="${escapeXml(JSON.stringify(request))}"><label for="username">Username</label> <input id="username" name="username" autocomplete="username"><button>Sign in to the test IdP</button></form>`,
          ),
        );
        return;
      }
      if (req.method === "POST" && url.pathname === "/sso") {
        let body = "";
        for await (const chunk of req) body += String(chunk);
        const form = new URLSearchParams(body);
        const request = JSON.parse(form.get("request") ?? "{}") as AuthnRequest;
        const person = people.get(form.get("username") ?? "");
        if (!person) {
          res.writeHead(403, { "Content-Type": "text/html; charset=utf-8" });
          res.end(page("Unknown user", "<p>No such user at the test IdP.</p>"));
          return;
        }
        const samlResponse = await idp.respond(request, person);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        // As Entra ID and others do: a form that posts itself, with a button for browsers without JavaScript.
        res.end(
          page(
            "Signing you in",
            `<form method="post" action="${escapeXml(request.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><input type="hidden" name="RelayState" value="${escapeXml(request.relayState)}"><noscript><button>Continue</button></noscript></form><script>document.forms[0].submit()</script>`,
          ),
        );
        return;
      }
      res.writeHead(404).end();
    })().catch((error: unknown) => {
      console.error("test SAML IdP failed", error);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    origin,
    idp,
    people,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

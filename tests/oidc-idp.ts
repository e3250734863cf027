import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID provider (the certified `oidc-provider` library) on loopback,
 * for the single sign-on tests: authorisation code flow with PKCE (S256)
 * required, client_secret_basic at the token endpoint, RS256-signed ID tokens.
 * Its development sign-in page takes any login; the login names the account,
 * whose claims the test sets with `accounts.set`. Consent is granted at once
 * (as a tenant admin's consent would), so the flow is: our /login → the
 * provider's sign-in page → back to our callback.
 */
export type IdpAccount = { email: string; email_verified: boolean; name: string };

/** A loopback HTTP server and the issuer address it will have: known before the provider is configured. */
export async function listenLoopback(port = 0) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function startOidcProvider(options: { clientId: string; clientSecret: string; redirectUris: string[]; listening?: Awaited<ReturnType<typeof listenLoopback>> }) {
  const accounts = new Map<string, IdpAccount>();
  const { server, issuer } = options.listening ?? (await listenLoopback());
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Put the asked-for claims in the ID token too (as Entra ID does with optional claims).
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    cookies: { keys: ["test-idp-cookie-key-0123456789"] },
    features: { devInteractions: { enabled: true } },
  });
  // The library warns about its development pages on every start; tests know.
  provider.on("server_error", (_ctx, error) => console.error("oidc-provider server_error", error));
  server.on("request", provider.callback());
  return {
    issuer,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

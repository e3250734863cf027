import { ssoProviderOrigins } from "#app/models/organisations/sso.server.ts";

/**
 * Where a sign-in form's redirect may lead besides our own origin: the
 * organisations' identity providers. Without JavaScript, "Sign in with your
 * force account" is a form POST answered with a redirect to the provider,
 * which Chrome checks against the page's CSP form-action. /login's loader
 * refreshes the list from the database before its page renders
 * (loadSsoFormActions below).
 */
let origins: string[] = [];

export function ssoFormActions(): string[] {
  return origins;
}

export function setSsoFormActions(list: string[]): void {
  origins = [...new Set(list)].sort();
}

/** Reads the providers' origins from the database into the list above. */
export async function loadSsoFormActions(): Promise<void> {
  setSsoFormActions(await ssoProviderOrigins());
}

import { getAuth } from "./auth.server.ts";
import { auditFirstAdmin, claimSetupToken, hasPlatformAdmin, releaseSetupToken } from "#app/models/platform/setup-token.server.ts";

export { ensureSetupToken, hasPlatformAdmin, isSetupTokenValid } from "#app/models/platform/setup-token.server.ts";

export class SetupError extends Error {}

/**
 * Creates the first platform admin, verified, with a password. The token is
 * claimed first (UPDATE ... WHERE used_at IS NULL), so two submissions cannot
 * both create an admin.
 */
export async function createFirstAdmin(input: { token: string; name: string; email: string; password: string }) {
  if (await hasPlatformAdmin()) throw new SetupError("A platform administrator already exists. Sign in instead.");
  if (!(await claimSetupToken(input.token))) throw new SetupError("This setup link has expired or been used. Restart the server for a new one.");
  try {
    const context = await getAuth().$context;
    const existing = await context.internalAdapter.findUserByEmail(input.email);
    if (existing) throw new SetupError("An account with this email address already exists.");
    const created = await context.internalAdapter.createUser({
      email: input.email.toLowerCase(),
      name: input.name,
      emailVerified: true,
      role: "admin",
    }, { method: "admin" });
    await context.internalAdapter.linkAccount({
      userId: created.id,
      providerId: "credential",
      accountId: created.id,
      password: await context.password.hash(input.password),
    });
    await auditFirstAdmin(created);
    return created;
  } catch (error) {
    await releaseSetupToken(input.token);
    throw error;
  }
}

import { hitRateLimit } from "#app/models/platform/rate-limit.server.ts";
import { getClientAddress } from "#app/services/request-context.server.ts";

/** Checks allowed per client address per minute: enough for an employer checking a list, not for guessing codes. */
export const VERIFY_LIMIT_PER_MINUTE = 60;

/** Counts a verification; returns seconds to wait when over the limit, else null. */
export async function checkVerifyRateLimit(): Promise<number | null> {
  const result = await hitRateLimit(`verify:${getClientAddress()}`, VERIFY_LIMIT_PER_MINUTE, 60);
  return result.allowed ? null : result.retryAfterSeconds;
}

import { getEnv } from "./env.server.ts";

/**
 * Where a form's redirect may lead besides our own origin: Stripe Checkout
 * and the customer portal (or the configured stub API host in tests).
 */
export function stripeFormActions(): string[] {
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY) return [];
  const origins = ["https://checkout.stripe.com", "https://billing.stripe.com"];
  if (env.STRIPE_API_BASE) origins.push(new URL(env.STRIPE_API_BASE).origin);
  return origins;
}

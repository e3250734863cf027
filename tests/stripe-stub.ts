import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

/**
 * A local stand-in for the parts of the Stripe API that Distinct calls, so
 * tests run without the network: the app's Stripe client is pointed here
 * through STRIPE_API_BASE (the SDK's host/port/protocol options). It records
 * every request (method, path, form fields as the SDK encodes them, e.g.
 * `line_items[0][quantity]`) and answers with JSON shaped like Stripe's.
 *
 * Also serves the pages a browser is sent to (/checkout/:id, /portal/:id), so
 * an end-to-end test can follow the redirect.
 */

export type RecordedRequest = {
  method: string;
  path: string;
  form: Record<string, string>;
  headers: http.IncomingHttpHeaders;
};

export type StripeStub = {
  /** e.g. http://127.0.0.1:41234: use as STRIPE_API_BASE. */
  url: string;
  requests: RecordedRequest[];
  /** What GET /v1/subscriptions/:id answers: the subscription as Stripe has it now. */
  subscriptions: Map<string, Record<string, unknown>>;
  /** While true, every API call fails with a 500 (and tells the SDK not to retry). */
  down: boolean;
  /** The requests to one path, e.g. "/v1/checkout/sessions". */
  requestsTo: (path: string) => RecordedRequest[];
  close: () => Promise<void>;
};

const now = () => Math.floor(Date.now() / 1000);
const stripeId = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString("hex")}`;

function stripeError(status: number, message: string, code?: string) {
  return { status, body: { error: { type: status === 404 ? "invalid_request_error" : "api_error", message, ...(code ? { code } : {}) } } };
}

export async function startStripeStub(): Promise<StripeStub> {
  const requests: RecordedRequest[] = [];
  const subscriptions = new Map<string, Record<string, unknown>>();
  let url = "";
  const stub: StripeStub = {
    url: "",
    requests,
    subscriptions,
    down: false,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  // Where each Checkout session sends the customer back once they have paid.
  const successUrls = new Map<string, string>();

  function answer(method: string, path: string, form: Record<string, string>): { status: number; body: unknown; html?: string } {
    const page = /^\/(checkout|portal)\/([\w-]+)$/.exec(path);
    if (method === "GET" && page) {
      const title = page[1] === "checkout" ? "Stripe Checkout (test stub)" : "Stripe customer portal (test stub)";
      // Like Checkout after a payment: back to the success_url, by a link a test can follow.
      const back = successUrls.get(page[2]!);
      const paid = back ? `<p><a href="${back.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}">Pay (test stub)</a></p>` : "";
      return {
        status: 200,
        body: null,
        html: `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1><p>${page[2]}</p>${paid}</body></html>`,
      };
    }
    if (stub.down) return stripeError(500, "The stub is down");
    if (method === "POST" && path === "/v1/customers") {
      return {
        status: 200,
        body: {
          id: stripeId("cus"),
          object: "customer",
          created: now(),
          email: form.email ?? null,
          name: form.name ?? null,
          metadata: metadataOf(form),
          livemode: false,
        },
      };
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const id = stripeId("cs_test");
      if (form.success_url) successUrls.set(id, form.success_url);
      return {
        status: 200,
        body: {
          id,
          object: "checkout.session",
          mode: form.mode,
          status: "open",
          payment_status: "unpaid",
          customer: form.customer ?? null,
          client_reference_id: form.client_reference_id ?? null,
          metadata: metadataOf(form),
          success_url: form.success_url,
          cancel_url: form.cancel_url,
          subscription: null,
          url: `${url}/checkout/${id}`,
          created: now(),
          expires_at: now() + 24 * 3600,
          livemode: false,
        },
      };
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const id = stripeId("bps");
      return {
        status: 200,
        body: {
          id,
          object: "billing_portal.session",
          customer: form.customer,
          return_url: form.return_url ?? null,
          url: `${url}/portal/${id}`,
          created: now(),
          livemode: false,
        },
      };
    }
    const subscription = /^\/v1\/subscriptions\/([\w-]+)$/.exec(path);
    if (method === "GET" && subscription) {
      const found = subscriptions.get(subscription[1]!);
      if (!found) return stripeError(404, `No such subscription: '${subscription[1]}'`, "resource_missing");
      return { status: 200, body: found };
    }
    return stripeError(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = new URL(req.url ?? "/", "http://stub");
      const raw = Buffer.concat(chunks).toString("utf8");
      const form = Object.fromEntries(new URLSearchParams(req.method === "GET" ? target.search : raw));
      const method = req.method ?? "GET";
      if (target.pathname.startsWith("/v1/")) requests.push({ method, path: target.pathname, form, headers: req.headers });
      const { status, body, html } = answer(method, target.pathname, form);
      if (html) {
        res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
        res.end(html);
        return;
      }
      res.writeHead(status, {
        "Content-Type": "application/json",
        "Request-Id": stripeId("req"),
        // The SDK retries 5xx answers unless told not to: tests of failures stay fast.
        "Stripe-Should-Retry": "false",
      });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.url = url;
  return stub;
}

function metadataOf(form: Record<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match) metadata[match[1]!] = value;
  }
  return metadata;
}

// ------------------------------------------------------------ objects shaped like Stripe's

const DAY = 24 * 3600;

/** A subscription as the API (version 2026-10-28) returns it: the period lives on the item. */
export function subscriptionObject(options: {
  id?: string;
  customer: string;
  orgId?: string;
  quantity: number;
  status?: string;
  priceId?: string;
  start?: number;
  periodStart?: number;
  periodEnd?: number;
  endedAt?: number | null;
}): Record<string, unknown> & { id: string } {
  const id = options.id ?? stripeId("sub");
  const start = options.start ?? now() - DAY;
  const periodStart = options.periodStart ?? start;
  const periodEnd = options.periodEnd ?? periodStart + 365 * DAY;
  const status = options.status ?? "active";
  return {
    id,
    object: "subscription",
    customer: options.customer,
    status,
    metadata: options.orgId ? { orgId: options.orgId } : {},
    start_date: start,
    created: start,
    billing_cycle_anchor: start,
    cancel_at_period_end: false,
    canceled_at: status === "canceled" ? options.endedAt ?? now() : null,
    ended_at: status === "canceled" ? options.endedAt ?? now() : null,
    collection_method: "charge_automatically",
    currency: "gbp",
    latest_invoice: stripeId("in"),
    livemode: false,
    items: {
      object: "list",
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
      data: [
        {
          id: stripeId("si"),
          object: "subscription_item",
          subscription: id,
          quantity: options.quantity,
          created: start,
          current_period_start: periodStart,
          current_period_end: periodEnd,
          metadata: {},
          price: {
            id: options.priceId ?? "price_test_seat",
            object: "price",
            currency: "gbp",
            unit_amount: 2500,
            recurring: { interval: "year", interval_count: 1 },
          },
        },
      ],
    },
  };
}

/** A completed Checkout Session in subscription mode, as checkout.session.completed carries it. */
export function completedCheckoutSession(options: { customer: string; subscription: string; orgId: string }): Record<string, unknown> {
  return {
    id: stripeId("cs_test"),
    object: "checkout.session",
    mode: "subscription",
    status: "complete",
    payment_status: "paid",
    customer: options.customer,
    subscription: options.subscription,
    client_reference_id: options.orgId,
    metadata: { orgId: options.orgId },
    created: now(),
    livemode: false,
  };
}

/** A subscription invoice: it names its subscription under parent.subscription_details. */
export function invoiceObject(options: {
  subscription: string;
  customer: string;
  status: "paid" | "open";
  periodEnd?: number;
}): Record<string, unknown> {
  return {
    id: stripeId("in"),
    object: "invoice",
    customer: options.customer,
    status: options.status,
    billing_reason: "subscription_cycle",
    amount_due: 2500,
    currency: "gbp",
    period_end: options.periodEnd ?? now(),
    parent: { type: "subscription_details", subscription_details: { subscription: options.subscription, metadata: {} } },
    livemode: false,
  };
}

/** An event wrapping `object`, as Stripe posts it to a webhook endpoint. */
export function stripeEvent(type: string, object: Record<string, unknown>, options: { id?: string; created?: number } = {}) {
  return {
    id: options.id ?? stripeId("evt"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: options.created ?? now(),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

/** The body and Stripe-Signature header Stripe would send for this event. */
export function signedPayload(event: unknown, secret: string): { payload: string; signature: string } {
  const payload = JSON.stringify(event, null, 2);
  return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

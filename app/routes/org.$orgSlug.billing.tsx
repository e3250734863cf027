import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { SeatRequestForm, SeatRequestSent } from "#app/components/seat-request-form.tsx";
import { LicenceHistoryTable, PaymentFailedBanner, SeatContactLinks, SeatSummaryList } from "#app/components/seat-summary.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField, bindField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { getLastHandledSeatRequest, getOpenSeatRequest } from "#app/models/billing/seat-request.server.ts";
import { listLicences, seatContacts, seatSummary } from "#app/models/billing/licence.server.ts";
import {
  billingByCardEnabled,
  BillingNotConfiguredError,
  getStripeCustomerId,
  NoStripeCustomerError,
  openBillingPortal,
  startCheckout,
  StripeUnavailableError,
} from "#app/models/billing/stripe.server.ts";
import { BillingActionSchema, BuySeatsSchema, MAX_CARD_SEATS } from "#app/utils/billing-validation.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { submitSeatRequest } from "#app/services/seat-request-action.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const search = new URL(request.url).searchParams;
  const checkout = search.get("checkout");
  const card = billingByCardEnabled();
  const [summary, licences, customerId, contacts, openRequest, lastHandled] = await Promise.all([
    seatSummary(organisation.id),
    listLicences(organisation.id),
    card ? getStripeCustomerId(organisation.id) : null,
    seatContacts(),
    getOpenSeatRequest(organisation.id),
    getLastHandledSeatRequest(organisation.id),
  ]);
  return {
    organisation: { name: organisation.name, slug: organisation.slug },
    summary,
    licences,
    card: { enabled: card, canManage: card && !!customerId },
    checkout: checkout === "success" || checkout === "cancelled" ? checkout : null,
    contacts,
    openRequest,
    lastHandled,
    seatsNotice: search.get("seats"),
    leadEmail: user.email,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const form = await request.formData();
  if (form.get("intent") === "request-seats") return submitSeatRequest(form, user, organisation, "billing", `/org/${organisation.slug}/billing`);
  const submission = parseWithZod(form, { schema: BillingActionSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    const url =
      submission.value.intent === "buy"
        ? await startCheckout(organisation, user, submission.value.seats)
        : await openBillingPortal(organisation);
    // 303: the browser follows with a GET to Stripe's page.
    return redirect(url, 303);
  } catch (error) {
    if (error instanceof BillingNotConfiguredError || error instanceof NoStripeCustomerError) {
      return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 400 });
    }
    if (error instanceof StripeUnavailableError) {
      return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 503 });
    }
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Seats and billing – ${data?.organisation.name ?? "Organisation"} – Distinct` },
];

export default function BillingPage() {
  const { organisation, summary, licences, card, checkout, contacts, openRequest, lastHandled, seatsNotice, leadEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const requestFailed = actionData && "seatRequest" in actionData ? actionData.seatRequest : null;
  const [form, fields] = useForm({
    id: "buy-seats",
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    constraint: getZodConstraint(BuySeatsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BillingActionSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <>
      <ErrorSummary
        errors={[
          ...summaryErrors(form.errors, [fields.seats]),
          ...summaryErrors([], [
            { id: "request-seats-seats", errors: requestFailed?.errors.seats },
            { id: "request-seats-message", errors: requestFailed?.errors.message },
          ]),
        ]}
      />
      <h1>Seats and billing</h1>
      {checkout === "success" ? (
        <Notification tone="success" title="Thank you: your payment is being confirmed">
          <p>Your new seats appear here as soon as Stripe confirms the payment, usually within a minute. Reload the page to see them.</p>
        </Notification>
      ) : checkout === "cancelled" ? (
        <Notification title="You did not buy any seats">
          <p>Nothing was charged.</p>
        </Notification>
      ) : null}
      {summary.paymentFailed ? <PaymentFailedBanner orgSlug={organisation.slug} onBillingPage={card.canManage} /> : null}

      <h2>Seats</h2>
      <SeatSummaryList summary={summary} />
      <p className="two-thirds">
        Each learner takes a seat; training leads do not. An invitation holds a seat until it is accepted or withdrawn, and someone who
        leaves the organisation frees theirs. When a licence ends, learners already added keep learning, but no one new can be added.
      </p>

      <section aria-labelledby="seat-request-heading" id="seat-request">
        <h2 id="seat-request-heading">Ask for more seats</h2>
        <SeatRequestSent notice={seatsNotice} email={leadEmail} />
        {openRequest ? (
          <div className="notification notification--info" role="region" aria-label="Your open seat request">
            <p className="notification__title">
              Waiting: a request for {plural(openRequest.seats, "more seat")}, asked by {openRequest.requestedByName} on{" "}
              {formatDate(openRequest.createdAt)}
            </p>
            {openRequest.message ? <p>Message: {openRequest.message}</p> : null}
            <p>A platform administrator will add the seats or reply to you. You get an email when it is handled.</p>
          </div>
        ) : lastHandled ? (
          <p className="two-thirds">
            Your last request, for {plural(lastHandled.seats, "seat")}, was handled by {lastHandled.handledByName ?? "a platform administrator"} on{" "}
            {lastHandled.handledAt ? formatDate(lastHandled.handledAt) : "an earlier day"}: “{lastHandled.handledNote}”
          </p>
        ) : (
          <p className="two-thirds">
            Ask the platform administrators who grant seats for more: say how many, and anything they should know. They are emailed at once,
            and your request shows here until it is handled.
          </p>
        )}
        <SeatRequestForm id="request-seats" open={openRequest} errors={requestFailed?.errors} values={requestFailed?.values} />
      </section>

      <h2>Buy seats by card</h2>
      {card.enabled ? (
        <>
          <p className="two-thirds">
            Pay by card for a year of seats, on Stripe&rsquo;s secure payment page. The seats are added to those you have, and renew each
            year until you cancel. For more than {MAX_CARD_SEATS.toLocaleString("en-GB")} seats, buy by invoice.
          </p>
          <Form method="post" {...getFormProps(form)} noValidate>
            <input type="hidden" name="intent" value="buy" />
            <TextField
              {...bindField(fields.seats)}
              label="Number of seats"
              hint="One for each learner; training leads do not need one."
              inputMode="numeric"
              autoComplete="off"
              className="input--narrow"
            />
            <Button>Buy seats</Button>
          </Form>
          {card.canManage ? (
            <>
              <h2>Manage card billing</h2>
              <p className="two-thirds">
                Change the card or the number of seats, download invoices, or cancel, on Stripe&rsquo;s secure pages.
              </p>
              <Form method="post">
                <input type="hidden" name="intent" value="manage" />
                <Button variant="secondary">Manage billing</Button>
              </Form>
            </>
          ) : null}
        </>
      ) : (
        <p className="two-thirds">Paying by card is not set up on this service. Buy seats by invoice instead.</p>
      )}

      <h2>Buy seats by invoice</h2>
      <p className="two-thirds">
        Most forces and agencies buy by invoice. Email a purchase order for the number of seats you need, for a year, to{" "}
        <SeatContactLinks emails={contacts} subject={`Purchase order for Distinct seats: ${organisation.name}`} />. When it is processed, a
        platform administrator adds the seats to {organisation.name}, and they appear below.
      </p>

      <h2>Licence history</h2>
      <LicenceHistoryTable licences={licences} caption={`Licences of ${organisation.name}, newest first`} />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

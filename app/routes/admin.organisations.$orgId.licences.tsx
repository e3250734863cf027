import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { LicenceHistoryTable, SeatSummaryList, type LicenceHistoryRow } from "#app/components/seat-summary.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextAreaField, TextField, bindField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { changeLicenceSeats, endLicence, extendLicence, grantLicence, LicenceInputError, LicenceNotFoundError, listLicences, seatSummary } from "#app/models/billing/licence.server.ts";
import { getOrganisationById } from "#app/models/organisations/organisation.server.ts";
import {
  ChangeSeatsSchema,
  EndLicenceSchema,
  ExtendLicenceSchema,
  GrantLicenceSchema,
  LicenceAdminSchema,
  LicenceChangeQuerySchema,
  londonDay,
} from "#app/utils/billing-validation.ts";
import { getOpenSeatRequest } from "#app/models/billing/seat-request.server.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

const done = {
  granted: "Licence granted",
  extended: "Licence extended",
  seats: "Number of seats changed",
  ended: "Licence ended",
} as const;

const isDone = (value: string | null): value is keyof typeof done => value !== null && value in done;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformRole(request, "admin");
  const organisation = await getOrganisationById(params.orgId ?? "");
  invariantResponse(organisation, "There is no organisation with this id.");
  const [summary, licences, seatRequest] = await Promise.all([seatSummary(organisation.id), listLicences(organisation.id), getOpenSeatRequest(organisation.id)]);
  const search = new URL(request.url).searchParams;
  const query = LicenceChangeQuerySchema.safeParse({ change: search.get("change"), licence: search.get("licence") });
  let changing = null;
  if (query.success) {
    const licence = licences.find((l) => l.id === query.data.licence);
    invariantResponse(licence, "This organisation has no such licence.");
    changing = { kind: query.data.change, licence };
  }
  const today = new Date();
  const yearOn = new Date(today);
  yearOn.setUTCFullYear(yearOn.getUTCFullYear() + 1);
  yearOn.setUTCDate(yearOn.getUTCDate() - 1);
  const notice = search.get("done");
  return {
    organisation,
    summary,
    licences,
    changing,
    seatRequest,
    done: isDone(notice) ? done[notice] : null,
    defaults: { validFrom: londonDay(today), validUntil: londonDay(yearOn) },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePlatformRole(request, "admin");
  const organisation = await getOrganisationById(params.orgId ?? "");
  invariantResponse(organisation, "There is no organisation with this id.");
  const submission = parseWithZod(await request.formData(), { schema: LicenceAdminSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const value = submission.value;
  let outcome: keyof typeof done;
  try {
    switch (value.intent) {
      case "grant":
        await grantLicence(admin, organisation.id, value);
        outcome = "granted";
        break;
      case "extend":
        await extendLicence(admin, organisation.id, value.licenceId, value);
        outcome = "extended";
        break;
      case "change-seats":
        await changeLicenceSeats(admin, organisation.id, value.licenceId, value);
        outcome = "seats";
        break;
      case "end":
        await endLicence(admin, organisation.id, value.licenceId, value);
        outcome = "ended";
        break;
    }
  } catch (error) {
    if (error instanceof LicenceInputError) {
      const reply = error.field
        ? submission.reply({ fieldErrors: { [error.field]: [error.message] } })
        : submission.reply({ formErrors: [error.message] });
      return data({ result: reply }, { status: 400 });
    }
    if (error instanceof LicenceNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
  return redirect(`/admin/organisations/${organisation.id}/licences?done=${outcome}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Licences – ${data?.organisation.name ?? "Organisation"} – Administration – Distinct` },
];

const headings = { extend: "Extend the licence", seats: "Change the number of seats", end: "End the licence" } as const;

export default function AdminLicencesPage() {
  const { organisation, summary, licences, changing, seatRequest, done, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const base = `/admin/organisations/${organisation.id}/licences`;

  const grantSchema = GrantLicenceSchema;
  const [grantForm, grant] = useForm({
    id: "grant-licence",
    lastResult: changing ? undefined : actionData?.result,
    constraint: getZodConstraint(grantSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: grantSchema }),
    shouldValidate: "onSubmit",
  });

  if (changing) return <ChangeLicence organisation={organisation} changing={changing} base={base} lastResult={actionData?.result} />;

  return (
    <>
      <ErrorSummary
        errors={summaryErrors(grantForm.errors, [grant.seats, grant.validFrom, grant.validUntil, grant.purchaseOrder, grant.note])}
      />
      <span className="caption">{organisation.name}</span>
      <h1>Licences</h1>
      {done ? <Notification tone="success" title={done} /> : null}
      <p>
        <Link to={`/org/${organisation.slug}/billing`}>See what the training leads see</Link>
      </p>
      {seatRequest ? (
        <Notification tone="warning" title={`${seatRequest.requestedByName} asks for ${plural(seatRequest.seats, "more seat")}`}>
          <p>
            Asked on {formatDate(seatRequest.createdAt)}
            {seatRequest.message ? `: “${seatRequest.message}”` : "."} Grant them below, then{" "}
            <Link to="/admin/seat-requests">mark the request handled</Link> with a note for the lead.
          </p>
        </Notification>
      ) : (
        <p>
          <Link to="/admin/seat-requests">Seat requests</Link> from every organisation.
        </p>
      )}
      <h2>Seats now</h2>
      <SeatSummaryList summary={summary} />
      <h2>Licence history</h2>
      <LicenceHistoryTable
        licences={licences}
        caption={`Licences of ${organisation.name}, newest first`}
        actions={(l) => (l.changeable ? <LicenceChangeLinks licence={l} base={base} /> : null)}
      />
      <h2>Grant a licence</h2>
      <p className="two-thirds">
        For an organisation that buys by invoice: the seats it ordered, for the period its purchase order covers. Seats add to any licence
        it already has.
      </p>
      <Form method="post" action={base} {...getFormProps(grantForm)} noValidate>
        <input type="hidden" name="intent" value="grant" />
        <TextField
          {...bindField(grant.seats)}
          label="Number of seats"
          inputMode="numeric"
          autoComplete="off"
          className="input--narrow"
        />
        <TextField
          {...bindField(grant.validFrom, defaults.validFrom)}
          type="date"
          label="Valid from"
          hint="From the start of this day, UK time."
        />
        <TextField
          {...bindField(grant.validUntil, defaults.validUntil)}
          type="date"
          label="Valid until"
          hint="To the end of this day, UK time."
        />
        <TextField
          {...bindField(grant.purchaseOrder)}
          label="Purchase order reference (optional)"
        />
        <TextAreaField
          {...bindField(grant.note)}
          label="Note (optional)"
          rows={2}
        />
        <Button>Grant licence</Button>
      </Form>
    </>
  );
}


type LicencesData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The links that open the extend, change-seats and end forms of one licence, each named for a screen reader. */
function LicenceChangeLinks({ licence: l, base }: { licence: Pick<LicenceHistoryRow, "id" | "seats" | "validUntil">; base: string }) {
  const which = `the licence of ${plural(l.seats, "seat")} until ${formatDate(l.validUntil)}`;
  return (
    <div className="button-group">
      <Link to={`${base}?change=extend&licence=${l.id}`}>
        Extend<span className="visually-hidden"> {which}</span>
      </Link>
      <Link to={`${base}?change=seats&licence=${l.id}`}>
        Change seats<span className="visually-hidden"> of {which}</span>
      </Link>
      <Link to={`${base}?change=end&licence=${l.id}`}>
        End<span className="visually-hidden"> {which}</span>
      </Link>
    </div>
  );
}

/** The page for one change to a licence (?change=extend|seats|end&licence=…): what it is now, then the form. */
function ChangeLicence({
  organisation,
  changing,
  base,
  lastResult,
}: {
  organisation: LicencesData["organisation"];
  changing: NonNullable<LicencesData["changing"]>;
  base: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const changeSchema = changing.kind === "extend" ? ExtendLicenceSchema : changing.kind === "seats" ? ChangeSeatsSchema : EndLicenceSchema;
  const [changeForm, change] = useForm({
    id: `${changing.kind}-licence`,
    lastResult,
    constraint: getZodConstraint(changeSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changeSchema }),
    shouldValidate: "onSubmit",
  });
  const l = changing.licence;
  const fields =
    changing.kind === "extend"
      ? [change.validUntil, change.purchaseOrder]
      : changing.kind === "seats"
      ? [change.seats, change.purchaseOrder]
      : [change.reason];
  return (
    <>
      <ErrorSummary errors={summaryErrors(changeForm.errors, fields)} />
      <p>
        <Link to={base}>← Licences of {organisation.name}</Link>
      </p>
      <span className="caption">{organisation.name}</span>
      <h1>{headings[changing.kind]}</h1>
      <dl className="summary-list">
        <SummaryRow label="Seats">{l.seats.toLocaleString("en-GB")}</SummaryRow>
        <SummaryRow label="Valid">
          {formatDate(l.validFrom)} to {formatDate(l.validUntil)}
        </SummaryRow>
        <SummaryRow label="Purchase order">{l.purchaseOrder ?? "None"}</SummaryRow>
      </dl>
      {!l.changeable ? (
        <Notification tone="warning" title="This licence cannot be changed here">
          <p>
            {l.source === "stripe"
              ? "It was bought by card, so it changes only through Stripe."
              : "It has already been ended or changed: its successor, if any, is in the licence history."}{" "}
            <Link to={base}>Go back to the licences</Link>.
          </p>
        </Notification>
      ) : null}
      {l.changeable ? (
        <>
          <p className="two-thirds">
            {changing.kind === "end"
              ? "The licence stops now: its seats are gone at once. Learners already added keep learning, but no one new can be added without seats. The reason is kept in the audit log."
              : "This licence ends now and a new one starts with the change, so the history shows both. The change is kept in the audit log."}
          </p>
          <Form method="post" action={`${base}?change=${changing.kind}&licence=${l.id}`} {...getFormProps(changeForm)} noValidate>
            <input type="hidden" name="intent" value={changing.kind === "seats" ? "change-seats" : changing.kind} />
            <input type="hidden" name="licenceId" value={l.id} />
            {changing.kind === "extend" ? (
              <TextField
                {...bindField(change.validUntil)}
                type="date"
                label="New end date"
                hint={`The licence is valid to the end of this day. It now ends on ${formatDate(l.validUntil)}.`}
              />
            ) : null}
            {changing.kind === "seats" ? (
              <TextField
                {...bindField(change.seats)}
                label="New number of seats"
                hint={`It now has ${plural(l.seats, "seat")}.`}
                inputMode="numeric"
                autoComplete="off"
                className="input--narrow"
              />
            ) : null}
            {changing.kind !== "end" ? (
              <TextField
                {...bindField(change.purchaseOrder)}
                label="Purchase order reference (optional)"
                hint="Leave empty to keep the current one."
              />
            ) : (
              <TextAreaField
                {...bindField(change.reason)}
                label="Reason"
                rows={3}
              />
            )}
            <div className="button-group">
              <Button variant={changing.kind === "end" ? "warning" : "primary"}>
                {changing.kind === "extend" ? "Extend licence" : changing.kind === "seats" ? "Change seats" : "End licence"}
              </Button>
              <Link to={base}>Cancel</Link>
            </div>
          </Form>
        </>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

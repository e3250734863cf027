import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { cpdRecord } from "#app/models/learning/cpd.server.ts";
import { readCpdRange } from "#app/utils/cpd-range.ts";
import { isCalendarDate } from "#app/utils/date-validation.ts";
import { formatDate, formatMinutes } from "#app/utils/format.ts";
import { requireUser } from "#app/services/session.server.ts";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const range = readCpdRange(url);
  const saved = url.searchParams.get("saved");
  if (!range.ok) return data({ entries: [], query: "", values: range.values, errors: range.errors, saved: null }, { status: 400 });
  const entries = await cpdRecord(user.id, range.range);
  const values = { from: range.range.from ?? "", to: range.range.to ?? "" };
  const errors: { from?: string; to?: string } = {};
  return { entries, query: range.query, values, errors, saved: entries.find((e) => e.enrolmentId === saved)?.title ?? null };
}

// A date input can only hold a real day: a rejected one is named in the error, and the field starts empty.
const realDayOrEmpty = (value: string) => (isCalendarDate(value) ? value : "");

export const meta: MetaFunction = () => [{ title: "CPD record – Distinct" }];

export default function CpdPage() {
  const { entries, query, values, errors, saved } = useLoaderData<typeof loader>();
  const problems = [
    ...(errors.from ? [{ href: "#from", message: errors.from }] : []),
    ...(errors.to ? [{ href: "#to", message: errors.to }] : []),
  ];
  const total = entries.reduce((sum, e) => sum + e.minutesSpent, 0);
  return (
    <>
      <ErrorSummary errors={problems} />
      {saved ? <Notification tone="success" title={`Your reflection on ${saved} is saved`} /> : null}
      <h1>CPD record</h1>
      <p>
        Each module you completed, with the time you spent on it and your own reflection. Your reflections are private: no training lead or administrator
        can read them. They leave Distinct only when you download this record.
      </p>

      <h2 id="range-title">Dates</h2>
      <p className="hint">The day each module was completed. Leave either date empty for no limit.</p>
      <Form method="get" className="filters" aria-labelledby="range-title">
        <TextField id="from" name="from" label="From" type="date" defaultValue={realDayOrEmpty(values.from)} errors={errors.from ? [errors.from] : undefined} className="input--narrow" />
        <TextField id="to" name="to" label="To" type="date" defaultValue={realDayOrEmpty(values.to)} errors={errors.to ? [errors.to] : undefined} className="input--narrow" />
        <Button variant="secondary">Show</Button>
      </Form>

      {problems.length === 0 ? (
        <p>
          Download this record: <a href={`/learning/cpd/export.pdf${query}`} download>PDF</a> or{" "}
          <a href={`/learning/cpd/export.csv${query}`} download>CSV (for a spreadsheet)</a>
        </p>
      ) : null}

      <h2>Completed modules</h2>
      {entries.length === 0 ? (
        <p>{problems.length ? "Correct the dates to see your record." : "No completed modules in these dates."}</p>
      ) : (
        <p>
          {entries.length} {entries.length === 1 ? "module" : "modules"}, {formatMinutes(total)} spent. Time spent is measured from what you did in Distinct
          (starting, each lesson you completed, each assessment you started and submitted); a gap of more than 30 minutes counts as 30.
        </p>
      )}
      {entries.map((e) => (
        <section key={e.enrolmentId} id={`entry-${e.enrolmentId}`} className="panel" aria-labelledby={`title-${e.enrolmentId}`}>
          <h3 id={`title-${e.enrolmentId}`} className="panel__heading">
            {e.title}, version {e.version}
          </h3>
          <dl className="summary-list">
            <SummaryRow label="Completed">{formatDate(e.completedAt)}</SummaryRow>
            <SummaryRow label="Time spent">{formatMinutes(e.minutesSpent)}</SummaryRow>
            {e.organisation ? (
              <SummaryRow label="For">{e.organisation}</SummaryRow>
            ) : null}
            <SummaryRow label="Certificate">{e.certificateCode ? <Link to={`/certificates/${e.certificateCode}`}>{e.certificateCode}</Link> : "None"}</SummaryRow>
          </dl>
          {e.outcomes.length > 0 ? (
            <>
              <h4>Learning outcomes</h4>
              <ul>
                {e.outcomes.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ul>
            </>
          ) : null}
          <h4>Your reflection</h4>
          {e.reflection ? (
            <>
              <h5>What I learned</h5>
              <p className="reflection-text">{e.reflection.learned || "Not written yet."}</p>
              <h5>How I will apply it</h5>
              <p className="reflection-text">{e.reflection.apply || "Not written yet."}</p>
            </>
          ) : (
            <p>You have not written a reflection on this module.</p>
          )}
          <p>
            <Link to={`/learning/cpd/${e.enrolmentId}`}>
              {e.reflection ? "Edit your reflection" : "Write a reflection"}
              <span className="visually-hidden"> on {e.title}</span>
            </Link>
          </p>
        </section>
      ))}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";

import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { LicenceStatus, SeatSummary } from "#app/utils/views/seats.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { Notification } from "./ui/notification.tsx";
import { ProgressBar } from "./ui/progress-bar.tsx";
import { Tag } from "./ui/tag.tsx";
import { DataTable } from "./ui/table.tsx";

/** Loader data keeps Dates with single fetch; accept strings too, for JSON callers. */
type Serialised<T> = { [K in keyof T]: T[K] extends Date ? Date | string : T[K] extends Date | null ? Date | string | null : T[K] };

const states: Record<SeatSummary["state"], { tone: "success" | "info" | "danger"; text: string }> = {
  licensed: { tone: "success", text: "Licensed" },
  trial: { tone: "info", text: "Free trial" },
  expired: { tone: "danger", text: "Expired" },
};

const sources: Record<"manual" | "stripe", string> = {
  manual: "Invoice (purchase order)",
  stripe: "Card (Stripe)",
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="summary-list__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The organisation's seats: how many, taken by whom, until when, paid how. */
export function SeatSummaryList({ summary: s, id = "seats" }: { summary: Serialised<SeatSummary>; id?: string }) {
  const state = states[s.state];
  const taken = s.used + s.reserved;
  return (
    <>
      <dl className="summary-list">
        <Row label="Licence">
          <Tag tone={state.tone}>{state.text}</Tag>
          {s.state === "trial" ? " Until the organisation buys seats, it may add a few learners to try the training." : null}
        </Row>
        <Row label="Seats">{s.seats.toLocaleString("en-GB")}</Row>
        <Row label="Learners using a seat">{s.used.toLocaleString("en-GB")}</Row>
        <Row label="Invitations waiting">{s.reserved.toLocaleString("en-GB")}</Row>
        <Row label="Free seats">{s.free.toLocaleString("en-GB")}</Row>
        <Row label={s.state === "expired" ? "Ended" : "Valid until"}>{s.validUntil ? formatDate(s.validUntil) : "No end date"}</Row>
        <Row label="Paid by">{s.source ? sources[s.source] : "Not paid for (free trial)"}</Row>
      </dl>
      {s.seats > 0 ? (
        <ProgressBar
          id={`${id}-taken`}
          value={Math.min(taken, s.seats)}
          max={s.seats}
          label={`${taken.toLocaleString("en-GB")} of ${plural(s.seats, "seat")} taken`}
        />
      ) : null}
      {s.state === "expired" ? (
        <Notification tone="warning" title="The licence has ended">
          <p>
            Learners already added keep learning and keep their certificates. No one new can be added until the organisation has seats
            again.
          </p>
        </Notification>
      ) : taken > s.seats ? (
        <Notification tone="warning" title="More learners than seats">
          <p>
            {plural(taken - s.seats, "learner")} more than the licence allows. Everyone already added keeps learning, but no one new can be
            added until there are free seats.
          </p>
        </Notification>
      ) : null}
    </>
  );
}

export type LicenceHistoryRow = {
  id: string;
  seats: number;
  validFrom: Date | string;
  validUntil: Date | string;
  source: "manual" | "stripe";
  purchaseOrder: string | null;
  note: string | null;
  createdByName: string | null;
  status: LicenceStatus;
  /** A manual licence not yet ended (the admin page offers changes). */
  changeable?: boolean;
};

/** Every licence, newest first: what the organisation had, and when. */
export function LicenceHistoryTable({
  licences,
  caption,
  actions,
}: {
  licences: LicenceHistoryRow[];
  caption: string;
  /** Extra cell per row (the admin's change links). */
  actions?: (licence: LicenceHistoryRow) => ReactNode;
}) {
  if (licences.length === 0) return <p>There are no licences yet.</p>;
  return (
    <DataTable caption={caption} columns={["Seats", "From", "Until", "Paid by", "Status", "Details", ...(actions ? ["Change"] : [])]}>
      {licences.map((l) => (
        <tr key={l.id}>
          <td>{l.seats.toLocaleString("en-GB")}</td>
          <td>{formatDate(l.validFrom)}</td>
          <td>{formatDate(l.validUntil)}</td>
          <td>{sources[l.source]}</td>
          <td>
            <Tag tone={l.status.tone}>{l.status.label}</Tag>
          </td>
          <td>
            {l.purchaseOrder ? <div>Purchase order {l.purchaseOrder}</div> : null}
            {l.note ? <div>{l.note}</div> : null}
            {l.createdByName ? <div className="small secondary">By {l.createdByName}</div> : null}
          </td>
          {actions ? <td>{actions(l)}</td> : null}
        </tr>
      ))}
    </DataTable>
  );
}

/**
 * For training leads, wherever they are in the organisation's pages: a card
 * payment failed. Seats keep working while Stripe retries; the lead should
 * update the card. The org layout can show it from `seatSummary().paymentFailed`.
 */
export function PaymentFailedBanner({ orgSlug, onBillingPage = false }: { orgSlug: string; onBillingPage?: boolean }) {
  return (
    <Notification tone="warning" title="A card payment failed">
      <p>
        Stripe could not take the last payment for your seats. Your learners can still use the training while Stripe tries again, but the
        seats end if the subscription is cancelled.{" "}
        {onBillingPage ? (
          "Use Manage billing below to update the card."
        ) : (
          <Link to={`/org/${orgSlug}/billing`}>Update the card under Seats and billing</Link>
        )}
      </p>
    </Notification>
  );
}

/** "a@x or b@y" as mailto links: whom to send a purchase order or a request for seats. */
export function SeatContactLinks({ emails, subject }: { emails: string[]; subject: string }) {
  if (emails.length === 0) return <>the platform administrators of this service</>;
  return (
    <>
      {emails.map((email, i) => (
        <span key={email}>
          {i > 0 ? (i === emails.length - 1 ? " or " : ", ") : null}
          <a href={`mailto:${email}?subject=${encodeURIComponent(subject)}`}>{email}</a>
        </span>
      ))}
    </>
  );
}

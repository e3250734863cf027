/**
 * View types: the shape a model returns and a component renders. A leaf
 * module (no imports from app/ layers above utils), so components never import
 * a model (docs/decisions/026).
 */

export type SeatSummary = {
  state: "licensed" | "trial" | "expired";
  /** Seats available now: the sum of the licences in force, or the trial allowance. */
  seats: number;
  /** Learners (people.role = 'member') who are active. Training leads take no seat; people who left free theirs. */
  used: number;
  /** Learners invited and not yet joined: an invitation holds a seat. */
  reserved: number;
  /** max(0, seats - used - reserved). */
  free: number;
  /**
   * Licensed: when the first of the licences in force ends (when seats next go
   * down). Expired: when the last licence ended. Trial: null.
   */
  validUntil: Date | null;
  /** How the licence that `validUntil` describes was bought; null for a trial. */
  source: "manual" | "stripe" | null;
  /** A card payment failed and the subscription has not ended: a banner, not a lock-out. */
  paymentFailed: boolean;
};

export type LicenceStatus = { tone: "success" | "info" | "warning" | "danger" | "neutral"; label: string };

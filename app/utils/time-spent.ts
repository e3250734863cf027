/**
 * Time spent on a module, measured from what Distinct records as the learner
 * works (issue 19's CPD record wants measured time, not the module's
 * estimate). The recorded steps are: starting the module, each lesson marked
 * complete, each assessment attempt started and submitted, and completion.
 *
 * The time is the sum of the gaps between consecutive steps, each gap capped
 * at IDLE_CAP_MINUTES: reading a lesson is the gap before its "mark complete",
 * and a day away between two lessons counts as one capped gap, not a day.
 * Lesson views are GETs and record nothing, so a gap over the cap is counted
 * as the cap rather than as nothing (which would lose the reading done after
 * returning). Whole minutes, rounded up, so a module done at all shows at
 * least a minute.
 */
export const IDLE_CAP_MINUTES = 30;

export function measuredMinutes(steps: readonly (Date | string | null | undefined)[], capMinutes = IDLE_CAP_MINUTES): number {
  const times = steps
    .filter((s): s is Date | string => s != null)
    .map((s) => new Date(s).getTime())
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  const capMs = capMinutes * 60_000;
  let total = 0;
  for (let i = 1; i < times.length; i++) total += Math.min(times[i]! - times[i - 1]!, capMs);
  return Math.ceil(total / 60_000);
}

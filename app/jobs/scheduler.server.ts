import { createLogger } from "#app/services/logger.server.ts";
import { runAllJobs } from "./registry.server.ts";

const log = createLogger("jobs");

/** `whenIdle` resolves once no run is in progress (shutdown and tests wait on it). */
export type Scheduler = { stop: () => void; whenIdle: () => Promise<void> };

/** The first run comes this long after start, so booting is not slowed by it. */
export const FIRST_RUN_AFTER_MS = 2_000;

/**
 * Runs the jobs inside the server every `intervalSeconds`. With the embedded
 * database this is the only way jobs run (a second process may not open it);
 * on PostgreSQL every instance may run it, or set JOBS_IN_SERVER=off and run
 * `npm run jobs` from cron. A tick that comes while a run is still going is
 * skipped, so a slow run never overlaps the next.
 */
export function startScheduler(options: { intervalSeconds: number }): Scheduler {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        await runAllJobs(new Date());
      } catch (error) {
        log.error("scheduled run failed", { error });
      } finally {
        running = null;
      }
    })();
  };
  const first = setTimeout(tick, FIRST_RUN_AFTER_MS);
  const timer = setInterval(tick, options.intervalSeconds * 1000);
  timer.unref();
  first.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
    whenIdle: async () => {
      await running;
    },
  };
}

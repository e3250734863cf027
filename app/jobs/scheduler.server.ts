import { createLogger } from "#app/utils/logger.server.ts";
import { runAllJobs } from "./registry.server.ts";

const log = createLogger("jobs");

export type Scheduler = { stop: () => void };

/**
 * Runs the jobs inside the server every `intervalSeconds`. With the embedded
 * database this is the only way jobs run (a second process may not open it);
 * on PostgreSQL every instance may run it, or set JOBS_IN_SERVER=off and run
 * `npm run jobs` from cron.
 */
export function startScheduler(options: { intervalSeconds: number }): Scheduler {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await runAllJobs();
    } catch (error) {
      log.error("scheduled run failed", { error });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 2_000);
  const timer = setInterval(() => void tick(), options.intervalSeconds * 1000);
  timer.unref();
  first.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

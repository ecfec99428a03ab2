import cron from 'node-cron';
import type { ScheduleTimes } from '../jobs/schedule.js';

/** The loop's schedule as `leadlift status` reports it: what `serve` would fire next, in UTC. */
export interface StatusSchedule {
  timezone: string;
  sync: string;
  retrain: string;
  nextSync: string | null;
  nextRetrain: string | null;
  /** The longest gap between the upcoming sync times (SYNC_TIMES_LOOKED_AT of them): a cycle is due at least this often. */
  syncIntervalMinutes: number | null;
}

/**
 * Enough upcoming times to see an irregular schedule's longest gap (an hourly sync on working
 * hours only: the night's), without node-cron's per-second search taking noticeable time.
 */
const SYNC_TIMES_LOOKED_AT = 48;

/** Computed as the scheduler computes them (node-cron, in the schedule's time zone), from tasks that never start. */
export async function statusSchedule(times: ScheduleTimes): Promise<StatusSchedule> {
  const upcoming = async (expression: string, count: number) => {
    const task = cron.createTask(expression, () => undefined, { timezone: times.timezone });
    try {
      return task.getNextRuns(count);
    } finally {
      await task.destroy();
    }
  };
  const syncs = await upcoming(times.sync, SYNC_TIMES_LOOKED_AT);
  const [retrain] = await upcoming(times.retrain, 1);
  let gap = 0;
  for (let i = 1; i < syncs.length; i++) gap = Math.max(gap, syncs[i].getTime() - syncs[i - 1].getTime());
  return {
    timezone: times.timezone,
    sync: times.sync,
    retrain: times.retrain,
    nextSync: syncs[0]?.toISOString() ?? null,
    nextRetrain: retrain?.toISOString() ?? null,
    syncIntervalMinutes: gap > 0 ? Math.round(gap / 60_000) : null,
  };
}

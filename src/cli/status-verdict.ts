import type { CrmStatus } from './crm-status.js';

/**
 * Why a CRM is not working as scheduled, in an admin's words, or [] when it is: its latest cycle
 * succeeded, within twice the sync interval (one missed tick is tolerated: a cycle may be running
 * long, or serve restarting). `status` exits 1 when any CRM has a problem.
 */
export function statusProblems(s: CrmStatus, syncIntervalMinutes: number | null, now = Date.now()): string[] {
  if (!s.lastCycle) {
    return [s.running ? `${s.crm}: its first cycle is still running (since ${s.running.since})` : `${s.crm}: no cycle has run on this store yet (run \`leadlift run\` or start \`leadlift serve\`)`];
  }
  if (s.lastCycle.status === 'failed') {
    const since = s.lastSuccessAt ? `; the last successful one ended ${s.lastSuccessAt}` : '; none has succeeded yet';
    return [`${s.crm}: the latest cycle failed (ended ${s.lastCycle.finishedAt}): ${s.lastCycle.error}${since}`];
  }
  if (syncIntervalMinutes !== null && s.lastSuccessAt) {
    const ageMinutes = (now - Date.parse(s.lastSuccessAt)) / 60_000;
    if (ageMinutes > 2 * syncIntervalMinutes) {
      return [
        `${s.crm}: the last successful cycle ended ${s.lastSuccessAt}, ${ago(ageMinutes)} ago: more than twice the sync interval (${ago(syncIntervalMinutes)}, config loop.schedule.sync). Is \`leadlift serve\` running with this store?`,
      ];
    }
  }
  return [];
}

/** "45 min", "3.5 h", "2.0 days". */
function ago(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

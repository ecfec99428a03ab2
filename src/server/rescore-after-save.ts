import type { Request } from 'express';
import { CRM_NAMES, type CrmName } from '../../connectors/types.js';
import type { LoopActivity, LoopRunner } from './loop-runner.js';
import { activityText } from './views/model-page.js';

/**
 * A tier save starts a rescore of each CRM it pushed to; the tiers page it redirects to follows
 * that rescore to its end (tiers.js, through the model page's activity.json and wording), as the
 * model page does, instead of only saying it is under way.
 */
export interface RescoreAfterSave {
  /** ISO time taken before the rescores were started: an activity started earlier is not theirs. */
  since: string;
  crms: CrmName[];
}

/** One CRM's status line on the tiers page. */
export interface TierPageActivity {
  crm: CrmName;
  name: string;
  text: string;
  /** true: still to follow (running, or the save's rescore not started yet); `since` as above. */
  watch: boolean;
  since: string | null;
}

const KEY = 'rescoreAfterSave';

export function setRescoreAfterSave(req: Request, value: RescoreAfterSave): void {
  (req.session as Record<string, unknown>)[KEY] = value;
}

/** Taken once, as the flash is: a later visit shows only work that is running then. */
export function takeRescoreAfterSave(req: Request): RescoreAfterSave | null {
  const session = req.session as Record<string, unknown> | null | undefined;
  const value = session?.[KEY] as RescoreAfterSave | undefined;
  if (session && value !== undefined) delete session[KEY];
  return value && typeof value.since === 'string' && Array.isArray(value.crms) ? value : null;
}

/** Each connected CRM with work to show: running now, or rescoring after the save just made. */
export async function tierPageActivities(loop: LoopRunner, connected: readonly CrmName[], saved: RescoreAfterSave | null): Promise<TierPageActivity[]> {
  const out: TierPageActivity[] = [];
  for (const crm of connected) {
    const a = await loop.activityNow(crm);
    const since = saved?.crms.includes(crm) ? saved.since : null;
    if (a.state === 'running') out.push({ crm, name: CRM_NAMES[crm], text: activityText(a), watch: true, since });
    else if (since !== null) out.push({ crm, name: CRM_NAMES[crm], ...endedSince(a, since) });
  }
  return out;
}

function endedSince(a: LoopActivity, since: string): Pick<TierPageActivity, 'text' | 'watch' | 'since'> {
  // The loop says "Starting…" until the rescore holds the CRM's cycle lock (loop-runner rescoreOnce).
  if (!a.startedAt || a.startedAt < since) return { text: 'Rescoring: Starting…', watch: true, since };
  return { text: activityText(a), watch: false, since };
}

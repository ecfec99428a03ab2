import type { CrmName } from '../../connectors/types.js';
import type { PushResult } from '../jobs/push.js';
import type { Store } from '../store/store.js';
import { counted } from './views/counted.js';

/**
 * For the admin page's activity line after a cycle: when the API budget stopped the push
 * (Salesforce's SALESFORCE_API_SHARE), how many scores wait to be written, counted in the store,
 * the one place that knows what the next run will write (the push's own tally is of this push
 * only, and misses scores still waiting from an earlier held-back push). Counted by the database
 * (scores.countPending), not by loading every waiting row. Empty when the push was not held back.
 * The line used to end "N written" only, so a held-back push read as done.
 */
export async function heldScoresText(store: Store, crm: CrmName, push: PushResult): Promise<string> {
  if (!push.stopped) return '';
  const waiting = await store.scores.countPending(crm);
  return `, ${counted(waiting, 'score')} held back for the API budget (waiting in the store; the next run writes ${waiting === 1 ? 'it' : 'them'})`;
}

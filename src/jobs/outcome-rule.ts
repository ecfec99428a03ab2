import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Connector } from '../../connectors/types.js';
import { counted } from '../domain/counted.js';
import type { Store } from '../store/store.js';
import { OUTCOMES_STREAM } from './deps.js';

/**
 * Outcomes are derived once, when the sync reads them, under the rule configured then (Salesforce:
 * SALESFORCE_WON_WHEN, SALESFORCE_LOST_STATUSES, the object). The outcome cursor then moves past
 * the records, so a rule changed later would apply only to leads that change afterwards and the
 * history would keep the old one for good. The rule in force is fingerprinted and kept beside the
 * cursors; when it differs (or a store from before this was recorded has outcomes), the stored
 * outcomes and their cursor are cleared in one transaction, so this sync's outcome pull reads every
 * record again and the history follows the new rule. A crash mid-pull resumes like any sync.
 */
export const OUTCOME_RULE_STREAM = 'outcome-rule';

const stored = z.object({ fingerprint: z.string(), describe: z.string() });

export function outcomeRuleFingerprint(settings: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

/** Returns the note for the admin when the stored outcomes are to be derived again; null when they follow the rule in force. */
export async function followOutcomeRule(store: Store, connector: Connector): Promise<string | null> {
  const rule = connector.outcomeRule?.();
  if (!rule) return null;
  const crm = connector.crm;
  const fingerprint = outcomeRuleFingerprint(rule.settings);
  const before = stored.safeParse(await store.checkpoints.get(crm, OUTCOME_RULE_STREAM));
  if (before.success && before.data.fingerprint === fingerprint) return null;
  return store.transaction(async (tx) => {
    const synced = (await tx.checkpoints.get(crm, OUTCOMES_STREAM)) !== null;
    const removed = synced ? await tx.outcomes.clear(crm) : 0;
    if (synced) await tx.checkpoints.clear(crm, OUTCOMES_STREAM);
    await tx.checkpoints.set(crm, OUTCOME_RULE_STREAM, { fingerprint, settings: rule.settings, describe: rule.describe });
    if (!synced) return null;
    const again = `so the ${counted(removed, 'stored outcome is', 'stored outcomes are')} derived again from the CRM by a full outcome sync now, and the history follows the rule in force`;
    return before.success
      ? `The outcome rule changed (was ${before.data.describe}; now ${rule.describe}), ${again}.`
      : `This store's outcomes were derived before leadlift recorded the outcome rule they followed (now ${rule.describe}), ${again}.`;
  });
}

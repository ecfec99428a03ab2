import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Connector, CrmName, OutcomeRule } from '../../connectors/types.js';
import { nowIso } from '../store/iso-time.js';
import type { Store } from '../store/store.js';
import { OUTCOMES_STREAM } from './deps.js';

/**
 * Outcomes are derived once, when the sync reads them, under the rule configured then (Salesforce:
 * SALESFORCE_WON_WHEN, SALESFORCE_LOST_STATUSES, the object). The outcome cursor then moves past
 * the records, so a rule changed later would apply only to leads that change afterwards and the
 * history would keep the old one for good. The rule in force is fingerprinted and kept beside the
 * cursors; when it differs (or a store from before this was recorded has outcomes), the sync reads
 * every outcome again and puts them in place of the stored ones in one transaction, with the new
 * fingerprint (rederive-outcomes.ts): until then the stored outcomes and fingerprint are the old
 * ones, so a stop or a failure mid-way loses nothing; what was read is staged, and the next run
 * continues from there.
 */
export const OUTCOME_RULE_STREAM = 'outcome-rule';

const stored = z.object({ fingerprint: z.string(), describe: z.string(), changedAt: z.string().optional() });

/** The rule the stored outcomes follow; `changedAt`: when they were last derived again under a new one (unknown for stores from before it was kept). */
export type StoredOutcomeRule = z.infer<typeof stored>;

export function outcomeRuleFingerprint(settings: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

export async function storedOutcomeRule(store: Pick<Store, 'checkpoints'>, crm: CrmName): Promise<StoredOutcomeRule | null> {
  const parsed = stored.safeParse(await store.checkpoints.get(crm, OUTCOME_RULE_STREAM));
  return parsed.success ? parsed.data : null;
}

export async function recordOutcomeRule(store: Pick<Store, 'checkpoints'>, crm: CrmName, rule: OutcomeRule): Promise<void> {
  const fingerprint = outcomeRuleFingerprint(rule.settings);
  await store.checkpoints.set(crm, OUTCOME_RULE_STREAM, { fingerprint, settings: rule.settings, describe: rule.describe, changedAt: nowIso() });
}

/** Stored outcomes to derive again under the rule in force: what was (null: not recorded) and what is. */
export interface OutcomeRuleChange {
  was: string | null;
  rule: OutcomeRule;
  /** For the admin, said before the outcomes are read again. */
  note: string;
}

/**
 * Whether this sync must derive the stored outcomes again; null when they follow the rule in
 * force. A store with no outcomes synced yet just records the rule: its first pull reads them all.
 */
export async function outcomeRuleChange(store: Store, connector: Connector): Promise<OutcomeRuleChange | null> {
  const rule = connector.outcomeRule?.();
  if (!rule) return null;
  const crm = connector.crm;
  const before = await storedOutcomeRule(store, crm);
  if (before && before.fingerprint === outcomeRuleFingerprint(rule.settings)) return null;
  if ((await store.checkpoints.get(crm, OUTCOMES_STREAM)) === null) {
    await recordOutcomeRule(store, crm, rule);
    return null;
  }
  const active = await store.models.active(crm);
  const again =
    'so every outcome is read again from the CRM and put in place of the stored ones in one step (until then they stay as they are; ' +
    "a sync stopped mid-way, by a signal, a failure or leadlift's API share, keeps what it read aside and the next one continues from there)" +
    (active
      ? `; model ${active.version} in service learnt under the earlier rule, so training is due at once (whatever loop.retrainAfterHours says): ` +
        'a new model replaces it if it does better on closed leads newer than it under this rule, or, without enough of them, if it beats chance'
      : '');
  const note = before
    ? `The outcome rule changed (was ${before.describe}; now ${rule.describe}), ${again}.`
    : `This store's outcomes were derived before leadlift recorded the outcome rule they followed (now ${rule.describe}), ${again}.`;
  return { was: before?.describe ?? null, rule, note };
}

import type { CrmName } from '../../connectors/types.js';
import type { Store } from '../store/store.js';
import { storedOutcomeRule, type StoredOutcomeRule } from './outcome-rule.js';

/** Kept in a model's metrics: the outcome rule its training outcomes followed (see trainedUnderEarlierRule). */
export interface ModelOutcomeRule {
  fingerprint: string;
  describe: string;
}

/** The rule the stored outcomes follow now, to keep with a model trained on them (null: the CRM has none). */
export async function outcomeRuleForModel(store: Store, crm: CrmName): Promise<ModelOutcomeRule | null> {
  const rule = await storedOutcomeRule(store, crm);
  return rule ? { fingerprint: rule.fingerprint, describe: rule.describe } : null;
}

/**
 * Whether a model learnt from outcomes derived under another rule than the stored ones follow
 * now: its stored AUC was measured against those outcomes, so it does not compare with a new
 * model's. A model from before the rule was kept with it counts as earlier when it is older than
 * the last re-derive. Returns the rule in force then (with when it took over), else null.
 */
export async function trainedUnderEarlierRule(
  store: Store,
  crm: CrmName,
  model: { createdAt: string; metrics: Record<string, unknown> },
): Promise<StoredOutcomeRule | null> {
  const now = await storedOutcomeRule(store, crm);
  if (!now) return null;
  const own = (model.metrics.outcomeRule as Partial<ModelOutcomeRule> | undefined)?.fingerprint;
  if (typeof own === 'string') return own === now.fingerprint ? null : now;
  return now.changedAt !== undefined && model.createdAt < now.changedAt ? now : null;
}

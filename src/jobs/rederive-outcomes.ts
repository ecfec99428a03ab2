import type { Cursor, OutcomeRecord } from '../../connectors/types.js';
import { OUTCOMES_STREAM, type LoopDeps } from './deps.js';
import { recordOutcomeRule, type OutcomeRuleChange } from './outcome-rule.js';

export interface RederivedOutcomes {
  /** Records as the CRM sent them. */
  received: number;
  pages: number;
  /** Outcomes stored, of them new or flipped, and outcomes gone (leads open under the new rule). */
  read: number;
  changed: number;
  removed: number;
  /** The pull stopped before the end (the API share): nothing was replaced, the next sync derives them all again. */
  cutShort: boolean;
}

/**
 * Reads every outcome again under the rule in force and, once all are read, puts them in place of
 * the stored ones with the outcome cursor and the rule's new fingerprint, in one transaction.
 * Nothing is written before that: a stop (the cycle's signal) or a failure mid-pull leaves the old
 * outcomes, cursor and fingerprint, so the next run derives them again from the start. The pull is
 * held in memory until then; an outcome is a few short strings per closed lead. A pull that stops
 * short on purpose (Salesforce's API share) is treated as a stop too: taking its part for the
 * whole would drop the outcomes of every lead not read yet and call those leads open.
 */
export async function rederiveOutcomes(
  deps: LoopDeps,
  change: OutcomeRuleChange,
  onPage: (page: { records: number; notes: readonly string[] }) => void,
): Promise<RederivedOutcomes> {
  const { store, connector } = deps;
  const crm = connector.crm;
  const outcomes: OutcomeRecord[] = [];
  let cursor: Cursor | null = null;
  let pages = 0;
  for await (const page of connector.pullOutcomes(null)) {
    deps.signal?.throwIfAborted();
    if (page.cutShort) {
      onPage({ records: 0, notes: [...(page.notes ?? []), KEPT_UNTIL_NEXT_SYNC] });
      return { received: outcomes.length, pages, read: 0, changed: 0, removed: 0, cutShort: true };
    }
    outcomes.push(...page.records);
    cursor = page.cursor;
    pages += 1;
    onPage({ records: page.records.length, notes: page.notes ?? [] });
  }
  deps.signal?.throwIfAborted();
  const replaced = await store.transaction(async (tx) => {
    const counts = await tx.outcomes.replaceAll(crm, outcomes);
    if (cursor) await tx.checkpoints.set(crm, OUTCOMES_STREAM, cursor);
    else await tx.checkpoints.clear(crm, OUTCOMES_STREAM);
    await recordOutcomeRule(tx, crm, change.rule);
    return counts;
  });
  return { received: outcomes.length, pages, ...replaced, cutShort: false };
}

const KEPT_UNTIL_NEXT_SYNC =
  'The outcomes were not derived again under the new rule: they stay as stored, under the earlier rule, and the next sync derives them all again.';

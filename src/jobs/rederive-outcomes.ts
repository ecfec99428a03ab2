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
}

/**
 * Reads every outcome again under the rule in force and, once all are read, puts them in place of
 * the stored ones with the outcome cursor and the rule's new fingerprint, in one transaction.
 * Nothing is written before that: a stop (the cycle's signal) or a failure mid-pull leaves the old
 * outcomes, cursor and fingerprint, so the next run derives them again from the start. The pull is
 * held in memory until then; an outcome is a few short strings per closed lead.
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
  return { received: outcomes.length, pages, ...replaced };
}

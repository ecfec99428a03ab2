import type { Cursor } from '../../connectors/types.js';
import { wholeNumber } from '../domain/counted.js';
import { OUTCOMES_STREAM, type LoopDeps } from './deps.js';
import { outcomeRuleFingerprint, recordOutcomeRule, type OutcomeRuleChange } from './outcome-rule.js';
import { dropRederive, OUTCOME_REDERIVE_STREAM, rederiveCheckpoint, recordRederiveProgress } from './rederive-progress.js';
import { nowIso } from '../store/iso-time.js';

export interface RederivedOutcomes {
  /** Records as the CRM sent them, this sync. */
  received: number;
  pages: number;
  /** Outcomes stored, of them new or flipped, and outcomes gone (leads open under the new rule): 0 until the swap. */
  read: number;
  changed: number;
  removed: number;
  /** The pull stopped before the end (the API share): nothing was replaced, the next sync continues the re-read. */
  cutShort: boolean;
  /** Outcomes read under the new rule so far, by this sync and the earlier ones it continued; after the swap, `read`. */
  readSoFar: number;
}

/**
 * Reads every outcome again under the rule in force and, once all are read, puts them in place of
 * the stored ones with the outcome cursor and the rule's new fingerprint, in one transaction.
 *
 * A large org's outcomes may need more API requests than one sync's share (SALESFORCE_API_SHARE):
 * starting over at each sync, such a re-derive would never end. So each page read is staged
 * (store.stagedOutcomes) with the re-derive's own position (rederive-progress.ts), in one
 * transaction, and the next sync continues from that position; the pages are not held in memory.
 * The stored outcomes, their cursor and the rule's fingerprint stay as they were until the last
 * page is in: a stop (the cycle's signal), a failure or a kill mid-way leaves them valid and loses
 * none of the staged pages either. A pull cut short on purpose (the share) is never taken for the
 * whole: that would drop the outcomes of every lead not read yet and call those leads open.
 *
 * Meanwhile the ordinary outcome pull does not run (sync.ts): the connector reads under the rule in
 * force only, and its outcomes stored beside the earlier rule's would mix two rules under one
 * fingerprint; it would also split the share the re-derive needs. New closes are not lost: each
 * sync reads the staged position up to the CRM's newest change at that moment (Salesforce: leads
 * re-dated by their close, opportunities closed since the re-derive began), so the cursor stored
 * at the swap covers every close made while it ran; they reach the model once it is done.
 *
 * A stage begun under another rule (changed again mid-way) is dropped and the re-read starts over.
 */
export async function rederiveOutcomes(
  deps: LoopDeps,
  change: OutcomeRuleChange,
  onPage: (page: { records: number; notes: readonly string[] }) => void,
  say: (note: string) => void = () => {},
): Promise<RederivedOutcomes> {
  const { store, connector } = deps;
  const crm = connector.crm;
  const fingerprint = outcomeRuleFingerprint(change.rule.settings);
  let progress = (await rederiveCheckpoint(store, crm))?.progress ?? null;
  if (progress?.fingerprint !== fingerprint) {
    say(change.note);
    // Also with no checkpoint: a stage left without one (it should not be) is no use either.
    const staged = await dropRederive(store, crm);
    if (progress) say(startedOver(progress.describe, staged, change.rule.describe));
    progress = null;
  }
  const startedAt = progress?.startedAt ?? nowIso();
  let cursor: Cursor | null = progress?.cursor ?? null;
  // The rule change was said when this re-derive began; the syncs that carry it on say where it stands.
  if (cursor) say(`The re-derive of the outcomes under the new rule continues where the last sync stopped (begun ${startedAt}).`);
  else if (progress) say(change.note);
  let received = 0;
  let pages = 0;
  for await (const page of connector.pullOutcomes(cursor)) {
    deps.signal?.throwIfAborted();
    if (page.cutShort) {
      const readSoFar = await store.stagedOutcomes.count(crm);
      for (const note of page.notes ?? []) say(note);
      say(continuesNextSync(readSoFar));
      return { received, pages, read: 0, changed: 0, removed: 0, cutShort: true, readSoFar };
    }
    // The page and the position after it in one transaction, as commitPage does for a sync page.
    await store.transaction(async (tx) => {
      if (page.records.length > 0) await tx.stagedOutcomes.upsert(crm, page.records);
      await recordRederiveProgress(tx, crm, { fingerprint, describe: change.rule.describe, cursor: page.cursor, startedAt });
    });
    cursor = page.cursor;
    received += page.records.length;
    pages += 1;
    onPage({ records: page.records.length, notes: page.notes ?? [] });
  }
  deps.signal?.throwIfAborted();
  const replaced = await store.transaction(async (tx) => {
    const counts = await tx.stagedOutcomes.swapIn(crm);
    if (cursor) await tx.checkpoints.set(crm, OUTCOMES_STREAM, cursor);
    else await tx.checkpoints.clear(crm, OUTCOMES_STREAM);
    await tx.checkpoints.clear(crm, OUTCOME_REDERIVE_STREAM);
    await recordOutcomeRule(tx, crm, change.rule);
    return counts;
  });
  return { received, pages, ...replaced, cutShort: false, readSoFar: replaced.read };
}

function continuesNextSync(readSoFar: number): string {
  return (
    'The outcomes were not derived again under the new rule yet: they stay as stored, under the earlier rule, until every one is read; ' +
    `the ${wholeNumber(readSoFar)} read so far under the new rule are kept aside and the next sync continues from there.`
  );
}

function startedOver(was: string, staged: number, now: string): string {
  return `The re-derive of the outcomes under ${was} is dropped with the ${wholeNumber(staged)} it had read: the rule changed again, so every outcome is read again from the start under ${now}.`;
}

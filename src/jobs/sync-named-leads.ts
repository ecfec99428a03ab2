import { nowIso } from '../store/iso-time.js';
import { LEAD_OBJECT, LEADS_STREAM, OUTCOMES_STREAM, type LoopDeps } from './deps.js';
import { inputProperties, neverInputMatcher } from './never-inputs.js';
import { outcomeRuleFingerprint, storedOutcomeRule } from './outcome-rule.js';
import { rederiveCheckpoint } from './rederive-progress.js';
import { assertScoredObject } from './scored-object.js';
import type { SyncResult } from './sync.js';

/** What a rescore of named leads read: the sync's counts, and the ids it stored to score. */
export interface NamedLeadsSync {
  sync: SyncResult;
  /** The leads read and stored: the ones to score (an id the CRM did not return is not among them). */
  leadIds: string[];
}

/**
 * Reads the leads a webhook named by id (Connector.readLeads) and stores them, their outcomes
 * and the merges they show as the sync stores its pages (the same upserts and comparisons, so a
 * contact that became a customer or lost is closed here too), without moving either stream's
 * cursor: the next sync still reads everything since its checkpoint, these leads included, and
 * finds them as stored, so they count there as read, not as changed again.
 *
 * null when only a sync will do: the connector cannot read by id, there are more ids than
 * reading them one by one is worth (readLeadsLimit), nothing was synced yet, or the stored
 * outcomes are being derived again under a changed outcome rule (only the sync carries that on).
 */
export async function syncNamedLeads(deps: LoopDeps, ids: readonly string[]): Promise<NamedLeadsSync | null> {
  const { store, connector, config } = deps;
  const crm = connector.crm;
  if (!connector.readLeads || ids.length === 0 || ids.length > (connector.readLeadsLimit ?? 0)) return null;
  if ((await store.checkpoints.get(crm, LEADS_STREAM)) === null || (await store.checkpoints.get(crm, OUTCOMES_STREAM)) === null) return null;
  if (await rederiveCheckpoint(store, crm)) return null;
  const rule = connector.outcomeRule?.();
  if (rule && (await storedOutcomeRule(store, crm))?.fingerprint !== outcomeRuleFingerprint(rule.settings)) return null;
  await assertScoredObject(store, connector);
  await connector.checkOutcomeSettings?.();

  deps.onProgress?.('sync', 0, ids.length);
  const read = await connector.readLeads(ids);
  deps.signal?.throwIfAborted();
  const isNeverInput = neverInputMatcher(config, crm, deps.manifest);
  const compare = { inputsOf: (properties: Record<string, string | null>) => inputProperties(properties, isNeverInput), since: nowIso() };
  const archive = read.mergedAway.length > 0 ? { archive: read.mergedAway } : {};
  const leads = await store.commitPage(crm, LEADS_STREAM, read.records, null, { objectType: LEAD_OBJECT, compare, ...archive });
  const outcomes = await store.commitPage(crm, OUTCOMES_STREAM, read.outcomes, null, { compare });
  const received = read.records.length + read.outcomes.length;
  deps.onProgress?.('sync', received, null);
  return {
    sync: {
      leads: leads.changes?.read ?? 0,
      leadsChanged: leads.changes?.changed ?? 0,
      outcomes: outcomes.changes?.read ?? 0,
      outcomesChanged: outcomes.changes?.changed ?? 0,
      received: { leads: read.records.length, outcomes: read.outcomes.length },
      pages: 1,
      notes: [],
    },
    leadIds: read.records.map((r) => r.id),
  };
}

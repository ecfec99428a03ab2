import type { CrmName } from '../../connectors/types.js';
import { FeaturePipeline } from '../features/pipeline.js';
import { LEAD_OBJECT } from '../jobs/deps.js';
import type { StoredOutcome } from '../store/outcomes.js';
import type { StoredScore } from '../store/scores.js';
import type { Store } from '../store/store.js';

/** A lead's score rows shown at most: prune keeps history bounded, this bounds a page of a lead rescored every hour. */
export const HISTORY_SHOWN = 500;

export interface SnapshotField {
  column: string;
  /** The label the reasons use for this field; null when the model scoring it does not use it. */
  label: string | null;
  value: string | null;
}

export interface LeadPageData {
  kind: 'lead';
  crm: CrmName;
  leadId: string;
  /** Newest first; the first is what the CRM shows (or is about to). */
  history: StoredScore[];
  /** More rows are stored than `history` holds. */
  historyCut: boolean;
  /** The inputs of its latest score: the lead's latest snapshot (snapshots.ts). */
  snapshot: { scoredAt: string; modelVersion: string; fields: SnapshotField[] } | null;
  outcome: StoredOutcome | null;
  /** Why the lead is not open, when the CRM deleted (or merged) or converted it. */
  record: { archived: boolean; converted: boolean } | null;
}

export interface ForgottenLead {
  kind: 'forgotten';
  crm: CrmName;
  leadId: string;
  forgottenAt: string;
}

/**
 * One lead as the store knows it, or null when it knows nothing of this id. A forgotten lead is
 * that and nothing more: the store kept only its id, on the suppression list (forgotten-leads.ts).
 */
export async function leadPageData(store: Store, crm: CrmName, leadId: string): Promise<LeadPageData | ForgottenLead | null> {
  const forgottenAt = await store.forgottenLeads.forgottenAt(crm, leadId);
  if (forgottenAt !== null) return { kind: 'forgotten', crm, leadId, forgottenAt };
  const [rows, snapshots, outcome, record] = await Promise.all([
    store.scores.history(crm, leadId, HISTORY_SHOWN + 1),
    store.snapshots.latestOf(crm, [leadId]),
    store.outcomes.get(crm, leadId),
    store.records.get(crm, LEAD_OBJECT, leadId),
  ]);
  if (rows.length === 0 && !outcome && !record) return null;
  const snapshot = snapshots.get(leadId) ?? null;
  return {
    kind: 'lead',
    crm,
    leadId,
    history: rows.slice(0, HISTORY_SHOWN),
    historyCut: rows.length > HISTORY_SHOWN,
    snapshot: snapshot ? { scoredAt: snapshot.scoredAt, modelVersion: snapshot.modelVersion, fields: await labelled(store, crm, snapshot.modelVersion, snapshot.properties) } : null,
    outcome,
    record: record ? { archived: record.archived, converted: record.converted === true } : null,
  };
}

/**
 * The snapshot's fields under the labels of the model that scored them (its pipeline's, as in its
 * reasons), the fields it uses first in its own order; the rest by name. A model since deleted
 * (prune) leaves the names alone.
 */
async function labelled(store: Store, crm: CrmName, version: string, properties: Record<string, string | null>): Promise<SnapshotField[]> {
  const model = await store.models.get(crm, version);
  const defs = model ? FeaturePipeline.fromJSON((model.bundle as { features: unknown }).features).defs : [];
  const labels = new Map<string, string>();
  for (const d of defs) if (d.kind !== 'missing-indicator' && !labels.has(d.source)) labels.set(d.source, d.label);
  const used = [...labels.keys()].filter((c) => c in properties);
  const rest = Object.keys(properties).filter((c) => !labels.has(c)).sort();
  return [...used.map((column) => ({ column, label: labels.get(column)!, value: properties[column] })), ...rest.map((column) => ({ column, label: null, value: properties[column] }))];
}

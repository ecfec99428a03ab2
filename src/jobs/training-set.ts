import type { CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import type { LeadRow, RawTable } from '../features/raw-table.js';
import { tableFromRecords } from '../features/raw-table.js';
import type { Store } from '../store/store.js';
import { LEAD_OBJECT } from './deps.js';
import { inputProperties, neverInputMatcher } from './never-inputs.js';

/** Column names the training table adds; chosen so no CRM field can collide with them. */
export const OUTCOME_COLUMN = '__leadlift_outcome';
export const CREATED_COLUMN = '__leadlift_created_at';

export interface TrainingSet {
  /** One row per closed lead, oldest creation date first. */
  table: RawTable;
  label: typeof OUTCOME_COLUMN;
  positive: 'won';
  order: typeof CREATED_COLUMN;
  /** Lead ids in row order. */
  leadIds: string[];
  closed: number;
  conversions: number;
  /** Rows taken from the snapshot the lead was scored on (the closed loop) vs from synced values. */
  fromSnapshots: number;
  fromHistory: number;
  /** Row indices of the `fromHistory` rows: values synced after the outcome, which the leakage guard also checks alone. */
  postCloseRows: number[];
  /** Closed leads whose record is not in the store (outcome synced, lead not yet): left out. */
  missingRecords: number;
  /** Never-input fields found in the rows; they go to the feature engine as filled-after-outcome. */
  neverInputs: string[];
  createdFrom: string | null;
  createdTo: string | null;
}

export type TrainingReadiness = { ready: true; set: TrainingSet } | { ready: false; reason: string; closed: number; conversions: number };

const PAGE = 5000;

/**
 * The rows a model learns from: every lead with an outcome, described by the snapshot of its last
 * score before the outcome (what was known when a rep saw the score), or, for leads never scored
 * before they closed, by the values as synced. Never-input fields are dropped from both before
 * anything else sees them; the feature engine's leakage guard then looks at what is left, on
 * every row and on the rows synced after their outcome alone (`postCloseRows`).
 */
export async function buildTrainingSet(store: Store, config: AppConfig, crm: CrmName, manifest: Manifest): Promise<TrainingReadiness> {
  const examples = await store.snapshots.trainingExamples(crm);
  const closed = examples.length;
  const conversions = examples.filter((e) => e.outcome === 'won').length;
  const min = config.loop.minimumHistory;
  if (closed < min.closedLeads || conversions < min.conversions) {
    return {
      ready: false,
      closed,
      conversions,
      reason:
        `Not enough history to train yet: ${closed} closed lead(s) with ${conversions} conversion(s); ` +
        `the minimum is ${min.closedLeads} closed leads and ${min.conversions} conversions (config loop.minimumHistory). ` +
        'No model scores are written until then.',
    };
  }

  const records = await recordsById(store, crm);
  const isNeverInput = neverInputMatcher(config, crm, manifest);
  const found = new Set<string>();
  const rows: Array<{ leadId: string; created: string; row: LeadRow; postClose: boolean }> = [];
  let fromSnapshots = 0;
  let missingRecords = 0;
  for (const example of examples) {
    const record = records.get(example.leadId);
    if (!record) {
      missingRecords++;
      continue;
    }
    const source = example.snapshot?.properties ?? record.properties;
    if (example.snapshot) fromSnapshots++;
    for (const key of Object.keys(source)) if (isNeverInput(key)) found.add(key);
    rows.push({
      leadId: example.leadId,
      created: record.createdAt,
      row: { ...inputProperties(source, isNeverInput), [CREATED_COLUMN]: record.createdAt, [OUTCOME_COLUMN]: example.outcome },
      postClose: !example.snapshot,
    });
  }
  // Time order is the lead's creation date (ties by id, so the order is the same every run).
  rows.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0));
  const kept = rows.length;
  const keptConversions = rows.filter((r) => r.row[OUTCOME_COLUMN] === 'won').length;
  if (kept < min.closedLeads || keptConversions < min.conversions) {
    return {
      ready: false,
      closed: kept,
      conversions: keptConversions,
      reason:
        `Not enough history to train yet: ${kept} closed lead(s) with ${keptConversions} conversion(s) have their lead record synced ` +
        `(${missingRecords} outcome(s) wait for their lead); the minimum is ${min.closedLeads} and ${min.conversions} (config loop.minimumHistory).`,
    };
  }
  return {
    ready: true,
    set: {
      table: tableFromRecords(rows.map((r) => r.row), `${crm} closed leads`),
      label: OUTCOME_COLUMN,
      positive: 'won',
      order: CREATED_COLUMN,
      leadIds: rows.map((r) => r.leadId),
      closed: kept,
      conversions: keptConversions,
      fromSnapshots,
      fromHistory: kept - fromSnapshots,
      postCloseRows: rows.flatMap((r, i) => (r.postClose ? [i] : [])),
      missingRecords,
      neverInputs: [...found].sort(),
      createdFrom: rows[0]?.created ?? null,
      createdTo: rows[rows.length - 1]?.created ?? null,
    },
  };
}

async function recordsById(store: Store, crm: CrmName) {
  const out = new Map<string, { createdAt: string; properties: Record<string, string | null> }>();
  let afterId: string | undefined;
  for (;;) {
    const page = await store.records.list(crm, LEAD_OBJECT, { afterId, limit: PAGE, includeArchived: true });
    for (const r of page) out.set(r.id, { createdAt: r.createdAt, properties: r.properties });
    if (page.length < PAGE) return out;
    afterId = page[page.length - 1].id;
  }
}

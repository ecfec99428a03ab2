import type { Kysely } from 'kysely';
import type { CrmName, LeadRecord, OutcomeRecord } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { toIso } from './iso-time.js';
import { fromJsonText } from './json-text.js';
import { chunks } from './transaction.js';
import { sameValues } from '../domain/same-values.js';

/** What a sync page brought, counted per distinct lead. */
export interface PageChanges {
  /**
   * Leads read that this sync had not read yet: a lead sent twice (a timestamp tie re-read, a
   * replayed page, a lead repeated in a page) counts once. A forgotten lead is not stored, so not counted.
   */
  read: number;
  /**
   * Of those, leads new to the store and leads whose input values, archived or converted state differ from
   * the stored ones; for outcomes, new closed leads and flipped outcomes.
   */
  changed: number;
}

/** A lead's input values (never-inputs.ts decides which properties count); the store holds every property. */
export type InputsOf = (properties: Record<string, string | null>) => Record<string, string>;

export interface PageComparison {
  inputsOf: InputsOf;
  /**
   * When the sync started (the store's clock, nowIso): a stored row written since then was read
   * by this sync already. The rows' own synced_at / recorded_at tell it, so a sync of millions
   * of leads need not remember their ids.
   */
  since: string;
}

const IDS_PER_QUERY = 500;

/**
 * Compares a page of leads with what the store holds, before the page is written (call it inside
 * commitPage's transaction). `forgotten`: leads that are never stored.
 */
export async function leadPageChanges(
  db: Kysely<Database>,
  crm: CrmName,
  objectType: string,
  records: readonly LeadRecord[],
  comparison: PageComparison,
  forgotten: ReadonlySet<string>,
): Promise<PageChanges> {
  const newest = new Map<string, LeadRecord>();
  for (const r of records) {
    const seen = newest.get(r.id);
    if (!seen || isoOf(seen.modifiedAt) <= isoOf(r.modifiedAt)) newest.set(r.id, r);
  }
  const stored = new Map<string, { modified_at: string; archived: number; converted: number; properties: string; synced_at: string }>();
  for (const batch of chunks([...newest.keys()], IDS_PER_QUERY)) {
    const rows = await db
      .selectFrom('records')
      .select(['id', 'modified_at', 'archived', 'converted', 'properties', 'synced_at'])
      .where('crm', '=', crm)
      .where('object_type', '=', objectType)
      .where('id', 'in', batch)
      .execute();
    for (const row of rows) stored.set(row.id, row);
  }
  let read = 0;
  let changed = 0;
  for (const [id, record] of newest) {
    if (forgotten.has(id)) continue;
    const before = stored.get(id);
    if (!before) {
      read += 1;
      changed += 1;
      continue;
    }
    if (before.synced_at >= comparison.since) continue;
    read += 1;
    // The store keeps the newest version (records.ts), so an older one changes nothing.
    if (isoOf(record.modifiedAt) < before.modified_at) continue;
    const differs =
      before.archived !== (record.archived ? 1 : 0) ||
      before.converted !== (record.converted ? 1 : 0) ||
      !sameValues(comparison.inputsOf(fromJsonText<Record<string, string | null>>(before.properties)), comparison.inputsOf(record.properties));
    if (differs) changed += 1;
  }
  return { read, changed };
}

/**
 * The same for outcomes: changed when the lead had no outcome or its outcome flipped (won <-> lost).
 * A date alone moving is not counted: a lead closed by Status without field history is dated by
 * LastModifiedDate, which any later edit moves, and that is no new closed lead (the store keeps
 * the newest date all the same).
 */
export async function outcomePageChanges(
  db: Kysely<Database>,
  crm: CrmName,
  outcomes: readonly OutcomeRecord[],
  comparison: PageComparison,
  forgotten: ReadonlySet<string>,
): Promise<PageChanges> {
  // Repeats within a page: the last one read is the CRM's latest word (outcomes.ts).
  const latest = new Map(outcomes.map((o) => [o.leadId, o]));
  const stored = new Map<string, { outcome: string; recorded_at: string }>();
  for (const batch of chunks([...latest.keys()], IDS_PER_QUERY)) {
    const rows = await db
      .selectFrom('outcomes')
      .select(['lead_id', 'outcome', 'recorded_at'])
      .where('crm', '=', crm)
      .where('lead_id', 'in', batch)
      .execute();
    for (const row of rows) stored.set(row.lead_id, row);
  }
  let read = 0;
  let changed = 0;
  for (const [leadId, o] of latest) {
    if (forgotten.has(leadId)) continue;
    const before = stored.get(leadId);
    if (before && before.recorded_at >= comparison.since) continue;
    read += 1;
    if (!before || before.outcome !== o.outcome) changed += 1;
  }
  return { read, changed };
}

// A bad date is left as it is: the upsert that follows refuses the page, naming the record.
function isoOf(value: string): string {
  try {
    return toIso(value, 'date');
  } catch {
    return value;
  }
}

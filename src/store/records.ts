import type { Kysely } from 'kysely';
import { InputError } from '../domain/errors.js';
import type { CrmName, LeadRecord } from '../../connectors/types.js';
import type { Database, RecordsTable } from './schema.js';
import { nowIso, toIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { upsertPerLead } from './per-lead-upsert.js';
import { chunks } from './transaction.js';

/** A CRM record as stored: the connector's LeadRecord plus where and when it came in. */
export interface StoredRecord extends LeadRecord {
  objectType: string;
  syncedAt: string;
  source: string;
}

export interface UpsertRecordsOptions {
  /** The CRM object, e.g. "contacts" (HubSpot) or "Lead" (Salesforce). */
  objectType: string;
  /** How the record arrived, e.g. "sync", "webhook". */
  source: string;
}

export interface ListRecordsOptions {
  /** Keyset paging: only ids after this one (ids in text order). */
  afterId?: string;
  limit?: number;
  includeArchived?: boolean;
  /** Only records modified at or after this time. */
  modifiedSince?: string;
}

// 10 bound values per row: 1,000 rows stays far below SQLite's 32,766 and PostgreSQL's 65,535.
const IDS_PER_QUERY = 500;

export function recordsRepository(db: Kysely<Database>) {
  /** The ids among `ids` whose record the CRM archived (deleted) or converted: records that take no writes. */
  async function unwritableAmong(crm: CrmName, objectType: string, ids: readonly string[]): Promise<{ archived: Set<string>; converted: Set<string> }> {
    const found = { archived: new Set<string>(), converted: new Set<string>() };
    for (const batch of chunks([...new Set(ids)], IDS_PER_QUERY)) {
      const rows = await db
        .selectFrom('records')
        .select(['id', 'archived', 'converted'])
        .where('crm', '=', crm)
        .where('object_type', '=', objectType)
        .where('id', 'in', batch)
        .where((eb) => eb.or([eb('archived', '=', 1), eb('converted', '=', 1)]))
        .execute();
      for (const row of rows) (Number(row.archived) === 1 ? found.archived : found.converted).add(row.id);
    }
    return found;
  }

  return {
    /**
     * Inserts or updates records in multi-row statements inside one transaction. A stored record
     * is never replaced by an older version of itself (a late webhook or a replayed page), and a
     * record repeated within the batch counts once, its newest version winning. A forgotten lead
     * (forgotten-leads.ts) is not stored and not counted.
     */
    async upsert(crm: CrmName, records: readonly LeadRecord[], options: UpsertRecordsOptions): Promise<number> {
      const rows = toRows(crm, records, options);
      const forgotten = await upsertPerLead(
        db,
        crm,
        { table: 'records', column: 'id' },
        rows,
        (r) => r.id,
        (trx, batch) =>
          trx
            .insertInto('records')
            .values(batch)
            .onConflict((oc) =>
              oc
                .columns(['crm', 'object_type', 'id'])
                .doUpdateSet((eb) => ({
                  properties: eb.ref('excluded.properties'),
                  created_at: eb.ref('excluded.created_at'),
                  modified_at: eb.ref('excluded.modified_at'),
                  archived: eb.ref('excluded.archived'),
                  converted: eb.ref('excluded.converted'),
                  synced_at: eb.ref('excluded.synced_at'),
                  source: eb.ref('excluded.source'),
                }))
                .where((eb) => eb('records.modified_at', '<=', eb.ref('excluded.modified_at'))),
            ),
        (r) => [r.crm, r.object_type, r.id, r.properties, r.created_at, r.modified_at, r.archived, r.converted, r.synced_at, r.source],
      );
      return rows.length - forgotten.size;
    },

    async get(crm: CrmName, objectType: string, id: string): Promise<StoredRecord | null> {
      const row = await db
        .selectFrom('records')
        .selectAll()
        .where('crm', '=', crm)
        .where('object_type', '=', objectType)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    /** The stored records among `ids`, whatever their state, in no particular order. */
    async getMany(crm: CrmName, objectType: string, ids: readonly string[]): Promise<StoredRecord[]> {
      const out: StoredRecord[] = [];
      for (const batch of chunks([...new Set(ids)], IDS_PER_QUERY)) {
        const rows = await db.selectFrom('records').selectAll().where('crm', '=', crm).where('object_type', '=', objectType).where('id', 'in', batch).execute();
        out.push(...rows.map(fromRow));
      }
      return out;
    },

    /** One page of records in id order; pass the last id back as `afterId` for the next. */
    async list(crm: CrmName, objectType: string, options: ListRecordsOptions = {}): Promise<StoredRecord[]> {
      let query = db
        .selectFrom('records')
        .selectAll()
        .where('crm', '=', crm)
        .where('object_type', '=', objectType);
      if (!options.includeArchived) query = query.where('archived', '=', 0);
      if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
      if (options.modifiedSince !== undefined) {
        query = query.where('modified_at', '>=', toIso(options.modifiedSince, 'modifiedSince'));
      }
      const rows = await query.orderBy('id').limit(options.limit ?? 1000).execute();
      return rows.map(fromRow);
    },

    /** Open leads: not archived, not converted and without an outcome yet — the ones to score; `ids`: only those among them (at most IDS_PER_QUERY a call). */
    async listOpen(crm: CrmName, objectType: string, options: { afterId?: string; limit?: number; ids?: readonly string[] } = {}): Promise<StoredRecord[]> {
      let query = db
        .selectFrom('records')
        .leftJoin('outcomes', (join) =>
          join.onRef('outcomes.crm', '=', 'records.crm').onRef('outcomes.lead_id', '=', 'records.id'),
        )
        .selectAll('records')
        .where('records.crm', '=', crm)
        .where('records.object_type', '=', objectType)
        .where('records.archived', '=', 0)
        .where('records.converted', '=', 0)
        .where('outcomes.lead_id', 'is', null);
      if (options.afterId !== undefined) query = query.where('records.id', '>', options.afterId);
      if (options.ids !== undefined) {
        if (options.ids.length === 0) return [];
        if (options.ids.length > IDS_PER_QUERY) throw new InputError(`At most ${IDS_PER_QUERY} ids per open-lead look-up (${options.ids.length} given).`);
        query = query.where('records.id', 'in', [...options.ids]);
      }
      const rows = await query.orderBy('records.id').limit(options.limit ?? 1000).execute();
      return rows.map(fromRow);
    },

    /** How many records listOpen would list, counted the same way. */
    async countOpen(crm: CrmName, objectType: string): Promise<number> {
      const row = await db
        .selectFrom('records')
        .leftJoin('outcomes', (join) =>
          join.onRef('outcomes.crm', '=', 'records.crm').onRef('outcomes.lead_id', '=', 'records.id'),
        )
        .select((eb) => eb.fn.countAll().as('n'))
        .where('records.crm', '=', crm)
        .where('records.object_type', '=', objectType)
        .where('records.archived', '=', 0)
        .where('records.converted', '=', 0)
        .where('outcomes.lead_id', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The ids among `ids` whose record the CRM archived or deleted. */
    async archivedAmong(crm: CrmName, objectType: string, ids: readonly string[]): Promise<Set<string>> {
      return (await unwritableAmong(crm, objectType, ids)).archived;
    },

    /** Archived (deleted, which wins) or else converted, in one read: what the push leaves out. */
    unwritableAmong,

    /** Marks records the CRM says no longer exist; a later sync that finds one again (restored) clears it. */
    async markArchived(crm: CrmName, objectType: string, ids: readonly string[]): Promise<void> {
      for (const batch of chunks([...new Set(ids)], IDS_PER_QUERY)) {
        await db.updateTable('records').set({ archived: 1 }).where('crm', '=', crm).where('object_type', '=', objectType).where('id', 'in', batch).execute();
      }
    },

    async count(crm: CrmName, objectType: string, options: { includeArchived?: boolean } = {}): Promise<number> {
      let query = db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('crm', '=', crm)
        .where('object_type', '=', objectType);
      if (!options.includeArchived) query = query.where('archived', '=', 0);
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type RecordsRepository = ReturnType<typeof recordsRepository>;

function toRows(crm: CrmName, records: readonly LeadRecord[], options: UpsertRecordsOptions): RecordsTable[] {
  const syncedAt = nowIso();
  const byId = new Map<string, RecordsTable>();
  for (const record of records) {
    if (record.crm !== crm) {
      throw new InputError(`Record ${record.id} belongs to ${record.crm}, not ${crm}; nothing was stored`);
    }
    if (typeof record.id !== 'string' || record.id === '') {
      throw new InputError(`A ${crm} ${options.objectType} record has no id; nothing was stored`);
    }
    const row: RecordsTable = {
      crm,
      object_type: options.objectType,
      id: record.id,
      properties: toJsonText(record.properties),
      created_at: toIso(record.createdAt, `${crm} ${options.objectType} ${record.id} createdAt`),
      modified_at: toIso(record.modifiedAt, `${crm} ${options.objectType} ${record.id} modifiedAt`),
      archived: record.archived ? 1 : 0,
      converted: record.converted ? 1 : 0,
      synced_at: syncedAt,
      source: options.source,
    };
    const seen = byId.get(record.id);
    // PostgreSQL refuses to update one row twice in a statement, so repeats are merged here.
    if (!seen || seen.modified_at <= row.modified_at) byId.set(record.id, row);
  }
  return [...byId.values()];
}

function fromRow(row: RecordsTable): StoredRecord {
  return {
    crm: row.crm as CrmName,
    objectType: row.object_type,
    id: row.id,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    archived: row.archived === 1,
    converted: row.converted === 1,
    properties: fromJsonText<Record<string, string | null>>(row.properties),
    syncedAt: row.synced_at,
    source: row.source,
  };
}

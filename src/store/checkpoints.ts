import type { Kysely } from 'kysely';
import type { CrmName, Cursor } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { nowIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';

export interface Checkpoint {
  crm: CrmName;
  stream: string;
  cursor: Cursor;
  updatedAt: string;
}

/** Where each (CRM, stream) sync resumes. Written through commitPage, with the data it covers. */
export function checkpointsRepository(db: Kysely<Database>) {
  return {
    async get(crm: CrmName, stream: string): Promise<Cursor | null> {
      const row = await db
        .selectFrom('checkpoints')
        .select('cursor')
        .where('crm', '=', crm)
        .where('stream', '=', stream)
        .executeTakeFirst();
      return row ? fromJsonText<Cursor>(row.cursor) : null;
    },

    async set(crm: CrmName, stream: string, cursor: Cursor): Promise<void> {
      const updatedAt = nowIso();
      await db
        .insertInto('checkpoints')
        .values({ crm, stream, cursor: toJsonText(cursor), updated_at: updatedAt })
        .onConflict((oc) =>
          oc.columns(['crm', 'stream']).doUpdateSet((eb) => ({
            cursor: eb.ref('excluded.cursor'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },

    /** Forgets a stream's position so the next sync starts with a full backfill. */
    async clear(crm: CrmName, stream: string): Promise<void> {
      await db.deleteFrom('checkpoints').where('crm', '=', crm).where('stream', '=', stream).execute();
    },

    async list(crm?: CrmName): Promise<Checkpoint[]> {
      let query = db.selectFrom('checkpoints').selectAll();
      if (crm) query = query.where('crm', '=', crm);
      const rows = await query.orderBy('crm').orderBy('stream').execute();
      return rows.map((r) => ({
        crm: r.crm as CrmName,
        stream: r.stream,
        cursor: fromJsonText<Cursor>(r.cursor),
        updatedAt: r.updated_at,
      }));
    },
  };
}

export type CheckpointsRepository = ReturnType<typeof checkpointsRepository>;

import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { auditRepository, type AuditEntry } from './audit.js';
import { nowIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { inTransaction } from './transaction.js';

export interface Setting<T = unknown> {
  key: string;
  value: T;
  updatedAt: string;
  updatedBy: string;
}

/**
 * The managers' current settings (tier thresholds…). Validate values before calling `set`: the
 * store keeps whatever JSON it is given. Each change and its audit entry commit together.
 */
export function settingsRepository(db: Kysely<Database>) {
  async function get<T>(key: string): Promise<Setting<T> | null> {
    const row = await db.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? { key: row.key, value: fromJsonText<T>(row.value), updatedAt: row.updated_at, updatedBy: row.updated_by } : null;
  }

  return {
    get,

    async all(): Promise<Setting[]> {
      const rows = await db.selectFrom('settings').selectAll().orderBy('key').execute();
      return rows.map((r) => ({ key: r.key, value: fromJsonText<unknown>(r.value), updatedAt: r.updated_at, updatedBy: r.updated_by }));
    },

    /** Saves a value and audits it; saving the value already there changes and audits nothing. */
    async set<T>(key: string, value: T, actor: string): Promise<{ changed: boolean; audit: AuditEntry | null }> {
      return inTransaction(db, async (trx) => {
        const before = await settingsRepository(trx).get<T>(key);
        if (before && isDeepStrictEqual(before.value, JSON.parse(toJsonText(value)))) return { changed: false, audit: null };
        const at = nowIso();
        await trx
          .insertInto('settings')
          .values({ key, value: toJsonText(value), updated_at: at, updated_by: actor })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              value: eb.ref('excluded.value'),
              updated_at: eb.ref('excluded.updated_at'),
              updated_by: eb.ref('excluded.updated_by'),
            })),
          )
          .execute();
        const audit = await auditRepository(trx).append({ at, actor, key, before: before?.value ?? null, after: value });
        return { changed: true, audit };
      });
    },
  };
}

export type SettingsRepository = ReturnType<typeof settingsRepository>;

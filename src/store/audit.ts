import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from './schema.js';
import { nowIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';

export interface AuditEntry {
  id: string;
  at: string;
  /** Who made the change: an admin's login, "cli", "install"… */
  actor: string;
  key: string;
  before: unknown;
  after: unknown;
}

/** Append-only record of configuration changes: there is deliberately no update or delete. */
export function auditRepository(db: Kysely<Database>) {
  return {
    async append(entry: { actor: string; key: string; before: unknown; after: unknown; at?: string }): Promise<AuditEntry> {
      const row: AuditLogTable = {
        id: randomUUID(),
        at: entry.at ?? nowIso(),
        actor: entry.actor,
        key: entry.key,
        before: entry.before === undefined ? null : toJsonText(entry.before),
        after: entry.after === undefined ? null : toJsonText(entry.after),
      };
      await db.insertInto('audit_log').values(row).execute();
      return fromRow(row);
    },

    /** Newest first, optionally for one key. */
    async list(filter: { key?: string; limit?: number } = {}): Promise<AuditEntry[]> {
      let query = db.selectFrom('audit_log').selectAll();
      if (filter.key) query = query.where('key', '=', filter.key);
      const rows = await query.orderBy('at', 'desc').orderBy('id').limit(filter.limit ?? 100).execute();
      return rows.map(fromRow);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;

function fromRow(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    key: row.key,
    before: fromJsonText<unknown>(row.before),
    after: fromJsonText<unknown>(row.after),
  };
}

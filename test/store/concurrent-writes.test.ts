import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { commitPage } from '../../src/store/commit-page.js';
import type { Store } from '../../src/store/store.js';
import { backends, useStore } from './backends.js';
import { leads } from './leads.js';
import { pauseAfter } from './pause-after.js';

const outcome = (leadId: string) => ({ crm: 'hubspot' as const, leadId, outcome: 'won' as const, outcomeAt: '2024-06-01T00:00:00.000Z', evidence: 'lifecyclestage=customer' });

const pages = {
  records: { stream: 'contacts', first: leads(3), again: leads(3, { modifiedAt: '2024-04-01T00:00:00.000Z', job: 'sales' }), column: 'id' },
  outcomes: { stream: 'outcomes', first: ['1', '2', '3'].map(outcome), again: ['1', '2', '3'].map((id) => ({ ...outcome(id), outcome: 'lost' as const })), column: 'lead_id' },
} as const;

async function storedIds(store: Store, table: 'records' | 'outcomes'): Promise<string[]> {
  const column = table === 'records' ? 'id' : 'lead_id';
  const rows = await store.db.selectFrom(table).select(`${column} as id` as 'lead_id as id').where('crm', '=', 'hubspot').execute();
  return rows.map((r) => r.id).sort();
}

describe.each(backends)('writes from two store handles at once ($name store)', (backend) => {
  const { store, database } = useStore(backend);

  it.runIf(backend.name === 'postgres').each(['records', 'outcomes'] as const)(
    'a forget arriving while a %s page updates a stored lead waits for the page, then erases the lead (no deadlock)',
    async (table) => {
      const page = pages[table];
      await store().commitPage('hubspot', page.stream, page.first, { after: '3' }, { objectType: 'leads' });
      const other = await database().open();
      try {
        let forgetting: Promise<unknown> | undefined;
        let blocked = false;
        // The page's upsert has locked the stored rows of leads 1 to 3 and not committed: a
        // privacy deletion of lead 2 comes in on another connection now.
        const paused = pauseAfter(store().db, 'InsertQueryNode', async () => {
          const holder = await sql<{ pid: number }>`select pid from pg_locks where locktype = 'relation' and relation = ${table}::regclass and mode = 'RowExclusiveLock' and granted`.execute(other.db);
          const writer = holder.rows[0].pid;
          forgetting = other.forget('hubspot', ['2'], { actor: 'webhook' }).catch((err: unknown) => err);
          for (let i = 0; i < 10_000 && !blocked; i++) {
            const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity where ${writer}::int = any(pg_blocking_pids(pid))`.execute(other.db);
            blocked = Number(rows[0].n) > 0;
          }
        });
        const committed = await commitPage(paused, 'hubspot', page.stream, page.again, { after: '3b' }, { objectType: 'leads' }).catch((err: unknown) => err);
        const forgot = await forgetting;
        // Before the fix the page asked for the guard the forget held while the forget waited on
        // the page's rows: PostgreSQL killed one of them (40P01).
        expect(blocked).toBe(true);
        expect(committed).toEqual({ stored: 3 });
        expect(forgot).toMatchObject({ leads: ['2'], removed: { [table]: 1 } });
        expect(await storedIds(store(), table)).toEqual(['1', '3']);
        expect(await store().checkpoints.get('hubspot', page.stream)).toEqual({ after: '3b' });
      } finally {
        await other.close();
      }
    },
  );

  it.runIf(backend.name === 'sqlite')('a sync page that reads before it writes keeps the file to itself until it commits, and loses nothing', async () => {
    await store().commitPage('hubspot', 'contacts', leads(3), { after: '3' }, { objectType: 'leads' });
    const other = await database().open();
    try {
      // Both handles run on this one thread: a handle waiting for the lock would stop the one
      // holding it, so the other one is told not to wait and reports the lock instead.
      await sql`pragma busy_timeout = 0`.execute(other.db);
      let meanwhile: unknown;
      // The page's first read is done, its upsert not started: another process (serve's webhook) writes now.
      const paused = pauseAfter(store().db, 'SelectQueryNode', async () => {
        meanwhile = await other.forget('hubspot', ['2'], { actor: 'webhook' }).then(() => 'committed', (err: { code?: string }) => err.code);
      });
      const compare = { inputsOf: (p: Record<string, string | null>) => p as Record<string, string>, since: new Date(Date.now() + 1000).toISOString() };
      const committed = await commitPage(paused, 'hubspot', 'contacts', leads(4, { modifiedAt: '2024-04-01T00:00:00.000Z', job: 'sales' }), { after: '4' }, { objectType: 'leads', compare });
      // Before the fix the forget committed here and the page's upsert failed with SQLITE_BUSY_SNAPSHOT.
      expect(meanwhile).toBe('SQLITE_BUSY');
      expect(committed).toEqual({ stored: 4, changes: { read: 4, changed: 4 } });
      // Waiting for the page (as busy_timeout makes a real second process do), the forget goes through after it.
      expect((await other.forget('hubspot', ['2'], { actor: 'webhook' })).removed.records).toBe(1);
      expect(await storedIds(store(), 'records')).toEqual(['1', '3', '4']);
      expect((await store().records.get('hubspot', 'leads', '4'))?.properties.job).toBe('sales');
      expect(await store().checkpoints.get('hubspot', 'contacts')).toEqual({ after: '4' });
    } finally {
      await other.close();
    }
  });

  it.runIf(backend.name === 'sqlite')('a read-only transaction does not take the write lock', async () => {
    const other = await database().open();
    try {
      await sql`pragma busy_timeout = 0`.execute(other.db);
      const written = await store().db.transaction().setAccessMode('read only').execute(async (trx) => {
        await trx.selectFrom('records').selectAll().execute();
        return other.forget('hubspot', ['2'], { actor: 'cli' });
      });
      expect(written.leads).toEqual(['2']);
    } finally {
      await other.close();
    }
  });
});

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import { forgetLeads } from '../../src/store/forget-leads.js';
import { GUARD_LOCK, guardLockKey } from '../../src/store/forgotten-leads.js';
import type { Store } from '../../src/store/store.js';
import { backends, useStore } from './backends.js';
import { leads } from './leads.js';

const T1 = '2024-05-01T02:00:00.000Z';

const score = (leadId: string): ScoreWrite => ({
  leadId, score: 61, tier: 'Warm', probability: 0.61, reasons: '+ job: admin.', trend: 'steady', modelVersion: 'm1', scoredAt: T1,
});
const snapshot = (leadId: string) => ({ leadId, modelVersion: 'm1', scoredAt: T1, properties: { email: `lead${leadId}@example.com` } });
const outcome = (leadId: string) => ({ crm: 'hubspot' as const, leadId, outcome: 'won' as const, outcomeAt: '2024-06-01T00:00:00.000Z', evidence: 'lifecyclestage=customer' });

async function storedIds(store: Store, table: 'records' | 'outcomes' | 'snapshots' | 'scores'): Promise<string[]> {
  const column = table === 'records' ? 'id' : 'lead_id';
  const rows = await store.db.selectFrom(table).select(`${column} as id` as 'lead_id as id').where('crm', '=', 'hubspot').execute();
  return [...new Set(rows.map((r) => r.id))].sort();
}

describe.each(backends)('the suppression list of forgotten leads ($name store)', (backend) => {
  const { store } = useStore(backend);

  it('keeps each forgotten id once, with the CRM and the first date only, and no property value', async () => {
    await store().records.upsert('hubspot', leads(2), { objectType: 'leads', source: 'sync' });
    await store().forget('hubspot', ['1'], { actor: 'cli' });
    const [first] = await store().db.selectFrom('forgotten_leads').selectAll().execute();
    expect(Object.keys(first).sort()).toEqual(['crm', 'forgotten_at', 'lead_id']);
    expect(first).toMatchObject({ crm: 'hubspot', lead_id: '1' });
    await store().forget('hubspot', ['1', '9'], { actor: 'cli' });
    const rows = await store().db.selectFrom('forgotten_leads').selectAll().orderBy('lead_id').execute();
    expect(rows.map((r) => [r.lead_id, r.forgotten_at])).toEqual([['1', first.forgotten_at], ['9', expect.any(String)]]);
    expect(JSON.stringify(rows)).not.toContain('example.com');
    expect(await store().forgottenLeads.count('hubspot')).toBe(2);
    expect(await store().forgottenLeads.count('salesforce')).toBe(0);
  });

  it('a sync page holding forgotten leads stores the others, counts only them, and still moves its cursor', async () => {
    await store().forget('hubspot', ['7', '2400'], { actor: 'cli' });
    // More ids than one look-up takes, with a forgotten lead in each.
    const page = await store().commitPage('hubspot', 'contacts', leads(2500), { after: '2500' }, { objectType: 'leads' });
    expect(page.stored).toBe(2498);
    expect(await store().records.get('hubspot', 'leads', '7')).toBeNull();
    expect(await store().records.get('hubspot', 'leads', '2400')).toBeNull();
    expect(await store().records.get('hubspot', 'leads', '8')).not.toBeNull();
    expect(await store().records.count('hubspot', 'leads')).toBe(2498);
    expect(await store().checkpoints.get('hubspot', 'contacts')).toEqual({ after: '2500' });
  });

  it('an outcomes page leaves a forgotten lead out', async () => {
    await store().forget('hubspot', ['2'], { actor: 'cli' });
    const page = await store().commitPage('hubspot', 'outcomes', ['1', '2', '3'].map(outcome), { after: 'o3' });
    expect(page.stored).toBe(2);
    expect(await storedIds(store(), 'outcomes')).toEqual(['1', '3']);
  });

  it('scores and snapshots of a forgotten lead are dropped, alone or in one transaction as scoring writes them', async () => {
    await store().forget('hubspot', ['2'], { actor: 'cli' });
    await store().scores.insert('hubspot', ['1', '2'].map(score));
    await store().snapshots.save('hubspot', ['1', '2'].map(snapshot));
    await store().transaction(async (tx) => {
      await tx.scores.insert('hubspot', [score('2'), score('3')], 'unchanged');
      await tx.snapshots.save('hubspot', [snapshot('2'), snapshot('3')]);
    });
    expect(await storedIds(store(), 'scores')).toEqual(['1', '3']);
    expect(await storedIds(store(), 'snapshots')).toEqual(['1', '3']);
    expect((await store().scores.pending('hubspot')).map((s) => s.leadId)).toEqual(['1']);
  });

  it('a forgotten id is left out only in its own CRM', async () => {
    await store().forget('salesforce', ['1'], { actor: 'cli' });
    await store().records.upsert('hubspot', leads(1), { objectType: 'leads', source: 'sync' });
    await store().scores.insert('hubspot', [score('1')]);
    expect(await storedIds(store(), 'records')).toEqual(['1']);
    expect(await storedIds(store(), 'scores')).toEqual(['1']);
  });

  it('the push selection never offers a forgotten lead, even one whose score row is left from before', async () => {
    await store().scores.insert('hubspot', ['1', '2'].map(score));
    await store().forget('hubspot', ['2'], { actor: 'cli' });
    // As a database restored from a backup taken before the forget would hold it: written below the repositories.
    await store().db.insertInto('scores').values({ crm: 'hubspot', lead_id: '2', scored_at: T1, score: 61, tier: 'Warm', probability: 0.61, reasons: '', trend: 'steady', model_version: 'm1', push_status: 'pending', pushed_at: null, push_error: null }).execute();
    expect((await store().scores.pending('hubspot')).map((s) => s.leadId)).toEqual(['1']);
    expect([...(await store().forgottenLeads.among('hubspot', ['1', '2', '3']))]).toEqual(['2']);
  });

  it.runIf(backend.name === 'postgres')('a page committed while a forget is still open waits for it, then leaves the lead out', async () => {
    let forgot!: () => void;
    let release!: () => void;
    const forgotten = new Promise<void>((r) => (forgot = r));
    const held = new Promise<void>((r) => (release = r));
    const forgetting = store().db.transaction().execute(async (trx) => {
      await forgetLeads(trx, 'hubspot', ['2'], { actor: 'cli' });
      forgot();
      await held;
    });
    await forgotten;

    // The forget has deleted and listed lead 2 but not committed: a page holding it comes in now.
    let settled = false;
    const commit = store().commitPage('hubspot', 'contacts', leads(3), { after: '3' }, { objectType: 'leads' }).finally(() => (settled = true));
    // Released however the wait ends, so a failure does not leave the forget holding its locks.
    try {
      // Wait, up to the test's timeout, for the page's backend to be blocked on the guard lock itself:
      // this schema's hubspot key in the guard's lock space, not granted, that backend waiting on a Lock.
      let waiting = false;
      while (!settled && !waiting) {
        const { rows } = await sql<{ n: string }>`
          select count(*) as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and not l.granted and l.classid = ${GUARD_LOCK} and l.objsubid = 2 and l.objid::int4 = ${guardLockKey('hubspot')}
            and a.wait_event_type = 'Lock'`.execute(store().db);
        waiting = Number(rows[0].n) > 0;
        if (!waiting && !settled) await new Promise((r) => setTimeout(r, 20));
      }
      // Without the guard the page would commit here, before the forget, and keep lead 2.
      expect({ waiting, settled }).toEqual({ waiting: true, settled: false });
    } finally {
      release();
    }
    await forgetting;
    expect((await commit).stored).toBe(2);
    expect(await storedIds(store(), 'records')).toEqual(['1', '3']);
  });
});

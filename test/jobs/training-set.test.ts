import { describe, expect, it } from 'vitest';
import type { LeadRecord, OutcomeRecord } from '../../connectors/types.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { buildTrainingSet, CREATED_COLUMN, OUTCOME_COLUMN } from '../../src/jobs/training-set.js';
import { backends, useStore } from '../store/backends.js';

const DAY = 86_400_000;
const t0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function lead(i: number, properties: Record<string, string | null>): LeadRecord {
  return { crm: 'hubspot', id: String(1000 + i), createdAt: iso(t0 + i * DAY), modifiedAt: iso(t0 + i * DAY + 1000), archived: false, properties };
}

function outcome(i: number, won: boolean, at = t0 + i * DAY + 10 * DAY): OutcomeRecord {
  return { crm: 'hubspot', leadId: String(1000 + i), outcome: won ? 'won' : 'lost', outcomeAt: iso(at), evidence: 'test' };
}

const config = (minimum = { closedLeads: 10, conversions: 2 }) => loadConfig({ env: {}, overrides: { loop: { minimumHistory: minimum } } });

describe.each(backends)('training set ($name store)', (backend) => {
  const { store } = useStore(backend);

  async function seed(n: number, wonEvery: number) {
    // Synced values are as of today: closed leads already carry their stage, status and stage dates.
    const records = Array.from({ length: n }, (_, i) =>
      lead(n - 1 - i, {
        source: i % 2 ? 'web' : 'referral',
        lifecyclestage: (n - 1 - i) % wonEvery === 0 ? 'customer' : 'other',
        hs_lifecyclestage_customer_date: (n - 1 - i) % wonEvery === 0 ? iso(t0) : null,
        leadlift_score: '42',
        HS_LEAD_STATUS: 'UNQUALIFIED',
      }),
    );
    await store().records.upsert('hubspot', records, { objectType: LEAD_OBJECT, source: 'sync' });
    await store().outcomes.upsert('hubspot', Array.from({ length: n }, (_, i) => outcome(i, i % wonEvery === 0)));
  }

  it('says plainly that there is not enough history, and names the setting', async () => {
    await seed(30, 10);
    const result = await buildTrainingSet(store(), config({ closedLeads: 200, conversions: 40 }), 'hubspot', loadManifest());
    expect(result.ready).toBe(false);
    if (result.ready) return;
    expect(result).toMatchObject({ closed: 30, conversions: 3 });
    expect(result.reason).toContain('30 closed lead(s) with 3 conversion(s)');
    expect(result.reason).toContain('loop.minimumHistory');
  });

  it('orders rows by creation date and never carries a deny-listed field (stage, status, stage dates, own scores)', async () => {
    await seed(30, 3);
    const result = await buildTrainingSet(store(), config(), 'hubspot', loadManifest());
    expect(result.ready).toBe(true);
    if (!result.ready) return;
    const { table } = result.set;
    expect([...table.columns].sort()).toEqual([CREATED_COLUMN, OUTCOME_COLUMN, 'source'].sort());
    const created = table.cells[table.columns.indexOf(CREATED_COLUMN)];
    expect(created).toEqual([...created].sort());
    expect(result.set.leadIds[0]).toBe('1000');
    expect(result.set.neverInputs).toEqual(['HS_LEAD_STATUS', 'hs_lifecyclestage_customer_date', 'leadlift_score', 'lifecyclestage']);
    expect(result.set).toMatchObject({ closed: 30, conversions: 10, fromSnapshots: 0, fromHistory: 30 });
    expect(result.set.postCloseRows).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('uses the snapshot a lead was scored on before its outcome, never one taken after it', async () => {
    await seed(30, 3);
    await store().snapshots.save('hubspot', [
      // Scored while open: this is what a rep saw, so training learns from it.
      { leadId: '1004', modelVersion: 'm1', scoredAt: iso(t0 + 5 * DAY), properties: { source: 'event' } },
      // Scored after its outcome: must not be used.
      { leadId: '1005', modelVersion: 'm1', scoredAt: iso(t0 + 30 * DAY), properties: { source: 'late' } },
    ]);
    const result = await buildTrainingSet(store(), config(), 'hubspot', loadManifest());
    if (!result.ready) throw new Error(result.reason);
    const source = result.set.table.cells[result.set.table.columns.indexOf('source')];
    const row = (id: string) => result.set.leadIds.indexOf(id);
    expect(source[row('1004')]).toBe('event');
    expect(source[row('1005')]).not.toBe('late');
    expect(result.set).toMatchObject({ fromSnapshots: 1, fromHistory: 29 });
    // Every row but the snapshot's holds values synced after the outcome: the guard checks those alone too.
    expect(result.set.postCloseRows).toHaveLength(29);
    expect(result.set.postCloseRows).not.toContain(row('1004'));
    expect(result.set.postCloseRows).toContain(row('1005'));
  });
});

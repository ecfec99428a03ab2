import { describe, expect, it } from 'vitest';
import type { Outcome, OutcomeRecord } from '../../connectors/types.js';
import type { Store } from '../../src/store/store.js';
import { backends, useStore } from './backends.js';
import { failInsertsInto } from './inject-failure.js';

const at = (day: number) => new Date(Date.UTC(2024, 5, day)).toISOString();
const outcome = (leadId: string, won: Outcome, day = 1): OutcomeRecord => ({ crm: 'salesforce', leadId, outcome: won, outcomeAt: at(day), evidence: `rule: ${won}` });
const stored = async (store: Store) => new Map((await store.outcomes.list('salesforce')).map((o) => [o.leadId, o.outcome]));

/**
 * Outcomes re-read under a changed rule wait in staged_outcomes until every one is read, then take
 * the stored ones' place in one transaction (migration 008): written and erased like outcomes.
 */
describe.each(backends)('staged outcomes on $name', (backend) => {
  const { store } = useStore(backend);

  it('swaps in for the stored outcomes in SQL, counting per lead as a replace does, and leaves the stage empty', async () => {
    // 1 stays won, 2 flips, 3 is open under the new rule, 4 is newly closed.
    await store().outcomes.upsert('salesforce', [outcome('1', 'won'), outcome('2', 'lost'), outcome('3', 'lost')]);
    await store().stagedOutcomes.upsert('salesforce', [outcome('1', 'won', 2), outcome('2', 'won')]);
    // A later page read a lead again: the CRM's latest word wins.
    await store().stagedOutcomes.upsert('salesforce', [outcome('4', 'lost'), outcome('4', 'won', 3)]);
    expect(await store().stagedOutcomes.count('salesforce')).toBe(3);
    // Until the swap, nothing staged is an outcome.
    expect(await stored(store())).toEqual(new Map([['1', 'won'], ['2', 'lost'], ['3', 'lost']]));

    expect(await store().stagedOutcomes.swapIn('salesforce')).toEqual({ read: 3, changed: 2, removed: 1 });
    expect(await stored(store())).toEqual(new Map([['1', 'won'], ['2', 'won'], ['4', 'won']]));
    expect((await store().outcomes.get('salesforce', '1'))!.outcomeAt).toBe(at(2));
    expect(await store().stagedOutcomes.count('salesforce')).toBe(0);
  });

  it('a swap that fails half-way leaves the stored outcomes and the stage whole', async () => {
    await store().outcomes.upsert('salesforce', [outcome('1', 'lost')]);
    await store().stagedOutcomes.upsert('salesforce', [outcome('1', 'won'), outcome('2', 'won')]);
    await failInsertsInto(store(), 'outcomes');
    await expect(store().stagedOutcomes.swapIn('salesforce')).rejects.toThrow(/injected failure/);
    expect(await stored(store())).toEqual(new Map([['1', 'lost']]));
    expect(await store().stagedOutcomes.count('salesforce')).toBe(2);
  });

  it('a forgotten lead is never staged, a forget erases its staged row (counted under stagedOutcomes), and the swap leaves it out', async () => {
    await store().outcomes.upsert('salesforce', [outcome('1', 'won')]);
    await store().stagedOutcomes.upsert('salesforce', [outcome('1', 'won'), outcome('2', 'lost')]);
    const forgot = await store().forget('salesforce', ['1', '2'], { actor: 'cli:admin' });
    expect(forgot.removed).toEqual({ records: 0, outcomes: 1, snapshots: 0, scores: 0, stagedOutcomes: 2 });
    expect(forgot.notFound).toEqual([]);
    expect(await store().stagedOutcomes.count('salesforce')).toBe(0);

    expect(await store().stagedOutcomes.upsert('salesforce', [outcome('2', 'won'), outcome('3', 'won')])).toBe(1);
    expect(await store().stagedOutcomes.swapIn('salesforce')).toEqual({ read: 1, changed: 1, removed: 0 });
    expect(await stored(store())).toEqual(new Map([['3', 'won']]));
  });
});

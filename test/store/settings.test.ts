import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { TIERS_SETTING, tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { backends, useStore } from './backends.js';
import { failInsertsInto } from './inject-failure.js';

const tiers = (hot: number) => [
  { name: 'Hot', minScore: hot },
  { name: 'Warm', minScore: 40 },
];

describe.each(backends)('settings and audit on $name', (backend) => {
  const { store } = useStore(backend);

  it('audits every change with who, when, before and after', async () => {
    const first = await store().settings.set('tiers', tiers(70), 'alice@example.com');
    expect(first.changed).toBe(true);
    await store().settings.set('tiers', tiers(80), 'bob@example.com');
    expect((await store().settings.get('tiers'))?.value).toEqual(tiers(80));

    const log = await store().audit.list({ key: 'tiers' });
    expect(log).toHaveLength(2);
    const latest = log.find((e) => e.actor === 'bob@example.com');
    expect(latest).toMatchObject({ key: 'tiers', before: tiers(70), after: tiers(80) });
    expect(log.find((e) => e.actor === 'alice@example.com')).toMatchObject({ before: null, after: tiers(70) });
    expect(Date.parse(latest!.at)).not.toBeNaN();
  });

  it('writes and audits nothing when the value is the same', async () => {
    await store().settings.set('tiers', tiers(70), 'alice@example.com');
    expect((await store().settings.set('tiers', tiers(70), 'bob@example.com')).changed).toBe(false);
    expect(await store().audit.list()).toHaveLength(1);
    expect((await store().settings.get('tiers'))?.updatedBy).toBe('alice@example.com');
  });

  it('does not change a setting whose audit entry cannot be written', async () => {
    await store().settings.set('tiers', tiers(70), 'alice@example.com');
    await failInsertsInto(store(), 'audit_log');
    await expect(store().settings.set('tiers', tiers(90), 'mallory@example.com')).rejects.toThrow(/injected failure/);
    expect((await store().settings.get('tiers'))?.value).toEqual(tiers(70));
  });

  it('keeps a "top N leads a day" rule as a rule, and the tiers in use read it back', async () => {
    const rules = [{ name: 'Call today', perDay: 10 }, { name: 'Warm', min: 50 }, { name: 'Cold', min: 0 }];
    await store().settings.set(TIERS_SETTING, rules, 'alice@example.com');
    expect((await store().settings.get(TIERS_SETTING))?.value).toEqual(rules);
    expect(await tiersInUse(store(), loadConfig({ env: {} }))).toEqual(rules);
    expect((await store().audit.list({ key: TIERS_SETTING }))[0]).toMatchObject({ actor: 'alice@example.com', after: rules });
  });
});

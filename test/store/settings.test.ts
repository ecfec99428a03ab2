import { describe, expect, it } from 'vitest';
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
});

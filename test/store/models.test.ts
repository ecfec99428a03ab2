import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import type { NewModel } from '../../src/store/models.js';
import { backends, useStore } from './backends.js';

const model = (version: string, createdAt: string, bundle: unknown = { trees: [version] }): NewModel => ({
  crm: 'hubspot',
  version,
  engine: 'forest',
  createdAt,
  trainedFrom: '2023-01-01T00:00:00Z',
  trainedTo: '2024-01-01T00:00:00Z',
  metrics: { auc: 0.8, lift: 2.5 },
  bundle,
});

describe.each(backends)('models on $name', (backend) => {
  const { store } = useStore(backend);

  it('promotes one model at a time and rolls back to the previous one', async () => {
    const models = store().models;
    await models.save(model('v1', '2024-01-01T00:00:00Z'));
    await models.save(model('v2', '2024-02-01T00:00:00Z'));
    await models.save(model('v3', '2024-03-01T00:00:00Z'));
    expect(await models.active('hubspot')).toBeNull();

    await models.promote('hubspot', 'v1');
    await models.promote('hubspot', 'v2');
    const active = await models.active('hubspot');
    expect(active?.version).toBe('v2');
    expect(active?.bundle).toEqual({ trees: ['v2'] });
    expect((await models.list('hubspot')).map((m) => [m.version, m.status])).toEqual([
      ['v3', 'candidate'],
      ['v2', 'active'],
      ['v1', 'retired'],
    ]);

    const rolledBack = await models.rollback('hubspot');
    expect(rolledBack.version).toBe('v1');
    expect((await models.active('hubspot'))?.version).toBe('v1');
    expect((await models.get('hubspot', 'v2'))?.status).toBe('retired');

    await models.rollback('hubspot', 'v2');
    expect((await models.active('hubspot'))?.version).toBe('v2');
  });

  it('refuses to roll back to a model that was never active, or to a missing one', async () => {
    await store().models.save(model('v1', '2024-01-01T00:00:00Z'));
    await store().models.save(model('v2', '2024-02-01T00:00:00Z'));
    await expect(store().models.rollback('hubspot')).rejects.toThrow(/no earlier hubspot model/);
    await store().models.promote('hubspot', 'v1');
    await expect(store().models.rollback('hubspot', 'v2')).rejects.toThrow(/never active/);
    await expect(store().models.promote('hubspot', 'v9')).rejects.toBeInstanceOf(InputError);
    expect((await store().models.active('hubspot'))?.version).toBe('v1');
  });

  it('promotes only over the model that was expected to be active, and leaves a rollback in place', async () => {
    const models = store().models;
    for (const [v, at] of [['v1', '2024-01-01T00:00:00Z'], ['v2', '2024-02-01T00:00:00Z'], ['v3', '2024-03-01T00:00:00Z']]) await models.save(model(v, at));
    expect(await models.promoteIfActive('hubspot', 'v1', 'v0')).toBeNull(); // none is active, v0 was expected
    expect((await models.promoteIfActive('hubspot', 'v1', null))?.status).toBe('active');
    await models.promote('hubspot', 'v2');
    await models.rollback('hubspot', 'v1');
    // v3 was trained while v2 was active; the rollback to v1 since then stands.
    expect(await models.promoteIfActive('hubspot', 'v3', 'v2')).toBeNull();
    expect(await models.promoteIfActive('hubspot', 'v3', null)).toBeNull();
    expect((await models.active('hubspot'))?.version).toBe('v1');
    expect((await models.get('hubspot', 'v3'))?.status).toBe('candidate');
    expect((await models.promoteIfActive('hubspot', 'v3', 'v1'))?.status).toBe('active');
    expect((await models.get('hubspot', 'v1'))?.status).toBe('retired');
  });

  it('revises a candidate\'s evaluation in the transaction that saved it, and never an active or retired model\'s', async () => {
    await store().models.save(model('v1', '2024-01-01T00:00:00Z'));
    await store().models.promote('hubspot', 'v1');
    await store().transaction(async (tx) => {
      await tx.models.save({ ...model('v2', '2024-02-01T00:00:00Z'), metrics: { auc: 0.9, comparison: { promoted: true } } });
      expect(await tx.models.promoteIfActive('hubspot', 'v2', 'v0')).toBeNull();
      await tx.models.reviseMetrics('hubspot', 'v2', { auc: 0.9, comparison: { promoted: false } });
    });
    expect((await store().models.get('hubspot', 'v2'))?.metrics).toEqual({ auc: 0.9, comparison: { promoted: false } });
    const refused = await store().models.reviseMetrics('hubspot', 'v1', { auc: 0 }).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toBe('There is no hubspot candidate model "v1" to revise; only a model that was never promoted has its evaluation revised');
    expect((await store().models.get('hubspot', 'v1'))?.metrics).toEqual({ auc: 0.8, lift: 2.5 });
  });

  it('never reuses a version and never holds two active models', async () => {
    await store().models.save(model('v1', '2024-01-01T00:00:00Z'));
    await store().models.save(model('v2', '2024-02-01T00:00:00Z'));
    await expect(store().models.save(model('v1', '2024-03-01T00:00:00Z'))).rejects.toThrow(/already exists/);
    await store().models.promote('hubspot', 'v1');
    // Bypassing promote() to activate a second model is stopped by the database itself.
    await expect(
      sql`update models set status = 'active' where version = 'v2'`.execute(store().db),
    ).rejects.toThrow();
  });

  it('keeps large bundles intact', async () => {
    const bundle = { trees: Array.from({ length: 2000 }, (_, i) => ({ id: i, split: 'x'.repeat(500) })) };
    await store().models.save(model('big', '2024-01-01T00:00:00Z', bundle));
    expect((await store().models.get('hubspot', 'big'))?.bundle).toEqual(bundle);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleLockName, runCycle } from '../../src/jobs/cycle.js';
import { CycleLockLostError } from '../../src/jobs/cycle-lock-errors.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

describe.each(backends)('cycle ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    // 150 leads: 120 closed with about 30 conversions, below the default minimum of 200 and 40.
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('below the minimum history it does not train, says so, and writes nothing to the CRM', async () => {
    const notes: string[] = [];
    const deps = { ...loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } })), log: (m: string) => notes.push(m) };
    const outcome = await runCycle(deps, { forceTrain: true });
    if (!outcome.ran) throw new Error(outcome.reason);
    const { summary } = outcome;
    expect(summary.sync.leads).toBe(150);
    expect(summary.train.trained).toBe(false);
    expect(summary.train.reason).toMatch(/^Not enough history to train yet: 120 closed lead\(s\) with \d+ conversion\(s\); the minimum is 200 closed leads and 40 conversions/);
    expect(notes.some((n) => n.startsWith('Training: Not enough history'))).toBe(true);
    expect(summary.score).toMatchObject({ scored: 0, modelVersion: null });
    expect(summary.push.written).toBe(0);
    expect(await store().models.list('hubspot')).toEqual([]);
    const writes = fixture.sandbox.ctx.log.filter((r) => r.method !== 'GET' && /^\/crm\/v3\/(objects\/contacts\/batch\/update|properties)/.test(r.path));
    expect(writes).toEqual([]);
  });

  it('a model that ranks the newest closed leads no better than the configured floor is stored but not promoted, and nothing is written', async () => {
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0.999 };
    const deps = { ...base, config: { ...base.config, loop } };
    const outcome = await runCycle(deps, { forceTrain: true });
    if (!outcome.ran) throw new Error(outcome.reason);
    const { summary } = outcome;
    expect(summary.train.trained).toBe(true);
    expect(summary.train.promoted).toBe(false);
    expect(summary.train.reason).toMatch(/\(95% upper bound 0\.\d+\) is not above 0\.999 \(chance\), so no scores are written/);
    const models = await store().models.list('hubspot');
    expect(models).toHaveLength(1);
    expect(models[0].status).not.toBe('active');
    expect(summary.score).toMatchObject({ scored: 0, modelVersion: null });
    const writes = fixture.sandbox.ctx.log.filter((r) => r.method !== 'GET' && /^\/crm\/v3\/objects\/contacts\/batch\/update/.test(r.path));
    expect(writes).toEqual([]);
  });

  it('a retrain compares with the active model only on leads that model never trained on', async () => {
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    const deps = { ...base, config: { ...base.config, loop } };
    const first = await runCycle(deps, { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    expect(first.summary.train.promoted).toBe(true);
    // No lead has closed since: the first model was refitted on every closed lead, so scoring it
    // on the same test leads would be in-sample. The stored evaluations are compared instead.
    const second = await runCycle(deps, { forceTrain: true });
    if (!second.ran) throw new Error(second.reason);
    expect(second.summary.train.reason).toMatch(/each model's own time-split AUC: no closed lead is newer than model /);
    const [latest] = await store().models.list('hubspot');
    const comparison = (latest.metrics as { comparison: { activeAuc: number; basis: string } }).comparison;
    const firstModel = (await store().models.list('hubspot')).find((m) => m.version === first.summary.train.version)!;
    expect(comparison.activeAuc).toBe((firstModel.metrics as { auc: number }).auc);
  });

  const crmWrites = () => fixture.sandbox.ctx.log.filter((r) => r.method !== 'GET' && /^\/crm\/v3\/(objects\/contacts\/batch\/update|properties)/.test(r.path)).length;

  it('a cycle that loses its lock while training stops before storing a model, scoring or writing, and says why', async () => {
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    let renewNow: (() => Promise<void>) | null = null;
    // Another process takes the expired lock over as training starts, and the next renewal finds
    // out: both done inside the training's first read of the active model, which it awaits
    // before fitting, so the loss is known before any model could be stored.
    const real = store();
    const takeOver = async () => {
      const mine = (await real.runLock.holder(cycleLockName('hubspot')))!;
      await real.runLock.release(cycleLockName('hubspot'), mine.owner);
      await real.runLock.acquire(cycleLockName('hubspot'), 'other-host:7:took-over', 60_000);
      await renewNow!();
    };
    let tookOver = false;
    const models = { ...real.models, active: async (crm: 'hubspot' | 'salesforce') => {
      if (!tookOver) {
        tookOver = true;
        await takeOver();
      }
      return real.models.active(crm);
    } };
    const deps = { ...base, store: { ...real, models }, config: { ...base.config, loop } };
    const writesBefore = crmWrites();
    const err = await runCycle(deps, { forceTrain: true, lock: { heartbeat: (renew) => ((renewNow = renew), () => undefined) } }).then(() => null, (e: unknown) => e);
    expect(tookOver).toBe(true);
    expect(err).toBeInstanceOf(CycleLockLostError);
    expect((err as Error).message).toMatch(/^Lost the cycle lock: .* is now held by other-host:7:took-over .*stopped before writing anything more/);
    expect(await store().models.list('hubspot')).toEqual([]);
    expect((await store().scores.latest('hubspot')).size).toBe(0);
    expect(crmWrites()).toBe(writesBefore);
    const [run] = await store().runs.list({ kind: 'cycle', crm: 'hubspot' });
    expect(run).toMatchObject({ status: 'failed', error: (err as Error).message });
    // The new owner's lock is left alone.
    expect((await store().runLock.holder(cycleLockName('hubspot')))?.owner).toBe('other-host:7:took-over');
  });

  it('a model trained while a manager rolled back is not promoted over the rollback, and the report says so', async () => {
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    const first = await runCycle({ ...base, config: { ...base.config, loop } }, { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const pinned = first.summary.train.version!;
    expect(first.summary.train.promoted).toBe(true);
    // A later model that any candidate beats (AUC 0), so the next training wants to promote.
    const weak = (await store().models.get('hubspot', pinned))!;
    await store().models.save({ ...weak, version: 'weak', createdAt: undefined, trainedTo: '2999-01-01T00:00:00.000Z', metrics: { auc: 0 } });
    await store().models.promote('hubspot', 'weak');

    // The rollback lands once the winning model has been compared with the model active at the
    // start and refitted: inside the training's read of the model list, just before it stores and
    // promotes, awaited there so it has committed first.
    const real = store();
    let refitting = false;
    let rolledBack = false;
    const models = { ...real.models, list: async (crm: 'hubspot' | 'salesforce') => {
      if (refitting && !rolledBack) {
        rolledBack = true;
        await real.models.rollback('hubspot', pinned);
      }
      return real.models.list(crm);
    } };
    const deps = {
      ...base,
      store: { ...real, models },
      config: { ...base.config, loop },
      onProgress: (step: string, done: number, total: number | null) => {
        if (step === 'train' && total !== null && done > total / 2) refitting = true;
      },
    };
    const second = await runCycle(deps, { forceTrain: true });
    expect(rolledBack).toBe(true);
    if (!second.ran) throw new Error(second.reason);
    expect(second.summary.train.trained).toBe(true);
    expect(second.summary.train.promoted).toBe(false);
    expect(second.summary.train.reason).toContain(`AUC ${second.summary.train.auc}`);
    expect(second.summary.train.reason).toContain(`the active model changed from weak to ${pinned} while this one trained (a rollback?), so it is not promoted over ${pinned}, which stays`);
    expect((await store().models.active('hubspot'))?.version).toBe(pinned);
    const stored = (await store().models.get('hubspot', second.summary.train.version!))!;
    expect(stored.status).toBe('candidate');
    expect(second.summary.model?.version).toBe(pinned);
    // The model page and the run history say what happened, not what the training had decided.
    const overtaken = `the active model changed from weak to ${pinned} while this one trained (a rollback?), so it is not promoted over ${pinned}, which stays`;
    expect(stored.metrics.comparison).toMatchObject({ activeVersion: 'weak', promoted: false, why: expect.stringContaining(overtaken) });
    const [trainRun] = await store().runs.list({ kind: 'train', crm: 'hubspot' });
    expect(trainRun.summary).toMatchObject({ version: stored.version, promoted: false, reason: expect.stringContaining(overtaken) });
    const [cycleRun] = await store().runs.list({ kind: 'cycle', crm: 'hubspot' });
    expect(cycleRun.summary).toMatchObject({ train: { version: stored.version, promoted: false }, model: { version: pinned } });
  });

  it('a cycle that finds another one running does nothing and is recorded as skipped', async () => {
    const deps = loopDeps(store(), fixture.connector());
    expect(await store().runLock.acquire(cycleLockName('hubspot'), 'another-process', 60_000)).toBe(true);
    const before = fixture.sandbox.ctx.log.length;
    const outcome = await runCycle(deps);
    expect(outcome.ran).toBe(false);
    if (outcome.ran) return;
    expect(outcome.reason).toContain('another hubspot cycle is running');
    expect(fixture.sandbox.ctx.log.length).toBe(before);
    const [run] = await store().runs.list({ kind: 'cycle', crm: 'hubspot' });
    expect(run).toMatchObject({ status: 'skipped', error: outcome.reason });
  });
});

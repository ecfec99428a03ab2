import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import { StopRequestedError } from '../../src/jobs/stop-request.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const QUICK = { model: { trees: 20 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 } } };

const summaryOf = (outcome: Awaited<ReturnType<typeof runCycle>>): CycleSummary => {
  if (!outcome.ran) throw new Error(outcome.reason);
  return outcome.summary;
};

/** The train run's row said "Stopped by SIGINT before the cycle started" for a stop during training. */
describe.each(backends)('a stop during training ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 400, openFraction: 0.2 });
  });
  afterAll(async () => fx.close());

  it('Ctrl-C during training: the train run says it stopped during training and nothing was promoted', async () => {
    summaryOf(await runCycle(loopDeps(store(), fx.connector(), QUICK)));
    const active = (await store().models.active('salesforce'))!;
    const models = (await store().models.list('salesforce')).length;

    const stop = new AbortController();
    const deps = {
      ...loopDeps(store(), fx.connector(), QUICK),
      onProgress: (step: string) => {
        if (step === 'train' && !stop.signal.aborted) stop.abort(new StopRequestedError('SIGINT'));
      },
    };
    const err = await runCycle(deps, { forceTrain: true, stop: stop.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StopRequestedError);
    const [train] = await store().runs.list({ kind: 'train', crm: 'salesforce', limit: 1 });
    expect(train.status).toBe('failed');
    expect(train.error).toBe(`Stopped by SIGINT during training; nothing was stored or promoted (model ${active.version} stays in service), and training starts over the next time it is due.`);
    const [cycle] = await store().runs.list({ kind: 'cycle', crm: 'salesforce', limit: 1 });
    expect(cycle.error).toMatch(/^Stopped by SIGINT while training, after syncing/);
    expect((await store().models.active('salesforce'))!.version).toBe(active.version);
    expect((await store().models.list('salesforce')).length).toBe(models);
  });

  it('Ctrl-C during the prune after training: said as a stop while pruning, with the new model kept, not as one during training', async () => {
    const real = store();
    const models = (await real.models.list('salesforce')).length;
    const stop = new AbortController();
    // The stop arrives as the prune begins (the real prune then stops at its first statement).
    const stopping = {
      ...real,
      prune: (...args: Parameters<typeof real.prune>) => {
        stop.abort(new StopRequestedError('SIGINT'));
        return real.prune(...args);
      },
    };
    const err = await runCycle(loopDeps(stopping, fx.connector(), QUICK), { forceTrain: true, stop: stop.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StopRequestedError);
    expect((err as Error).message).toMatch(
      /^Stopped by SIGINT while pruning old store history after training, after syncing [\d,]+ leads? and [\d,]+ outcomes?; what was synced and the model just trained are kept \(the history pruned by then is counted in the audit trail, the rest goes at the next prune\) and the next run resumes from there\.$/,
    );
    const [cycle] = await real.runs.list({ kind: 'cycle', crm: 'salesforce', limit: 1 });
    expect(cycle).toMatchObject({ status: 'failed', error: (err as Error).message });
    // Training finished before the stop: its model is stored.
    expect((await real.models.list('salesforce')).length).toBe(models + 1);
  });
});

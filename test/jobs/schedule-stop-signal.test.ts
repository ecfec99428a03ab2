import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledCycleReporter } from '../../src/cli/cycle-log.js';
import type { CycleOutcome } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { startScheduler } from '../../src/jobs/schedule.js';
import { StopRequestedError } from '../../src/jobs/stop-request.js';
import { createLog } from '../../src/server/log.js';
import { pipe } from '../cli/pipe-stream.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const LEADS = 2000;
const LIST = '^/crm/v3/objects/contacts$';

describe.each(backends)('a scheduled cycle stopped by SIGTERM ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: LEADS, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  // Every second, so the cycle under test is a cron tick's, not one asked for with runNow.
  const schedule = { loop: { schedule: { sync: '* * * * * *', retrain: '0 2 1 1 *' }, minimumHistory: { closedLeads: 100, conversions: 20 } } };

  it('stops at its next safe point within seconds: run recorded as stopped with what is kept, lock released, steps logged; a restart resumes', async () => {
    const connector = fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
    const deps = loopDeps(store(), connector, schedule);
    // A slow CRM: each page of the full sync takes 400 ms, so the whole sync would take over 8 s.
    fixture.sandbox.ctx.faults.push({ id: 'slow', method: 'GET', pathPattern: LIST, kind: 'latency', ms: 400 });
    const out = pipe();
    const log = createLog({ LOG_FORMAT: 'json' }, out.stream);
    const stop = new AbortController();
    let synced = 0;
    const reporter = scheduledCycleReporter(log);
    const scheduler = startScheduler({
      ...deps,
      connectors: [connector],
      stop: stop.signal,
      reporter: (kind, crm) => {
        const report = reporter(kind, crm);
        return { ...report, onProgress: (step, done, total) => ((synced = done), report.onProgress(step, done, total)) };
      },
    });
    let stoppedAt = 0;
    let stopped: StopRequestedError | null;
    try {
      // Some pages stored, far from all.
      await until(() => synced >= 200, 30_000, 'the scheduled sync to store a few pages');
      stoppedAt = performance.now();
      stop.abort(new StopRequestedError('SIGTERM'));
    } finally {
      stopped = await scheduler.stop();
    }
    const seconds = (performance.now() - stoppedAt) / 1000;
    fixture.sandbox.ctx.faults.length = 0;
    expect(seconds).toBeLessThan(3);
    expect(stopped).toBeInstanceOf(StopRequestedError);
    expect(stopped!.exitCode).toBe(143);
    expect(stopped!.message).toMatch(/^Stopped by SIGTERM after syncing [\d,]+ records \(leads and outcomes\); what was synced is kept and the next run resumes from there\.$/);

    const [run] = await store().runs.list({ kind: 'cycle', crm: 'hubspot' });
    expect(run).toMatchObject({ status: 'failed', error: stopped!.message });
    expect(run.finishedAt).not.toBeNull();
    expect(await store().runLock.holder('cycle:hubspot')).toBeNull();
    const kept = await store().records.count('hubspot', LEAD_OBJECT);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(LEADS);

    // One JSON event per line, each with its level; the step's start and its stop, naming the CRM and the run.
    const events = out.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.msg)).toEqual(['Syncing leads and outcomes: started', expect.stringMatching(/^Syncing leads and outcomes: stopped after [\d,]+ in [\d.]+ s$/)]);
    expect(events[0]).toMatchObject({ level: 'info', crm: 'hubspot', kind: 'sync', runId: run.id });
    expect(events[1]).toMatchObject({ level: 'warn', crm: 'hubspot', runId: run.id });

    // The restart's first tick resumes from the stored pages: every lead read once over the two cycles.
    const restarted: CycleOutcome[] = [];
    const again = startScheduler({ ...deps, connectors: [connector], stop: new AbortController().signal, onCycle: (_kind, outcome) => restarted.push(outcome) });
    try {
      await until(() => restarted.length > 0, 120_000, 'the restarted schedule to run a cycle');
    } finally {
      expect(await again.stop()).toBeNull();
    }
    expect(restarted[0].ran).toBe(true);
    if (!restarted[0].ran) return;
    expect(restarted[0].summary.sync.leads).toBe(LEADS - kept);
    expect(await store().records.count('hubspot', LEAD_OBJECT)).toBe(LEADS);
    expect((await store().runs.list({ kind: 'cycle', crm: 'hubspot' }))[0].status).toBe('ok');
  }, 180_000);
});

async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

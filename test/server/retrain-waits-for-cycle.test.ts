import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleLockName } from '../../src/jobs/cycle.js';
import { StopRequestedError } from '../../src/jobs/stop-request.js';
import { crmConnections } from '../../src/server/crm-connections.js';
import { createLoopRunner } from '../../src/server/loop-runner.js';
import { activityText } from '../../src/server/views/model-page.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { loopDeps } from '../jobs/loop-deps.js';
import { backends, useStore } from '../store/backends.js';

const LOCK = cycleLockName('hubspot');
// Another machine's owner: alive as far as this process can tell, so only its release frees the lock.
const SCHEDULED = 'scheduler-host:777:scheduled-cycle';
const CONFIG = { model: { trees: 25 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 } };

describe.each(backends)('a cycle the admin page did not start ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('shows as running, and "Retrain now" pressed during it waits its turn and then retrains', async () => {
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), CONFIG);
    const runner = createLoopRunner({ ...base, connections: crmConnections([base.connector]), log: () => undefined, busyRetryMs: 50 });
    expect((await runner.activityNow('hubspot')).state).toBe('idle');

    expect(await store().runLock.acquire(LOCK, SCHEDULED, 60_000)).toBe(true);
    const during = await runner.activityNow('hubspot');
    expect(during).toMatchObject({ task: 'cycle', state: 'running' });
    expect(activityText(during)).toMatch(/^Cycle running: A cycle is running \(since \d\d:\d\d UTC/);
    // A tier save's rescore holds this lock too: the page names it among what the cycle may be.
    expect(activityText(during)).toContain("the schedule's sync and scoring, a rescore after a CRM edit or a tier save, or `leadlift run`");

    expect(runner.startRetrain('hubspot').started).toBe(true);
    // Waiting, not failed, and nothing trained while the other cycle holds the lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waiting = await runner.activityNow('hubspot');
    expect(waiting).toMatchObject({ task: 'retrain', state: 'running' });
    expect(waiting.message).toMatch(/^Waiting for the cycle under way \(since \d\d:\d\d UTC\) to finish; this retrain starts right after it\.$/);
    expect(await store().models.list('hubspot')).toHaveLength(0);

    await store().runLock.release(LOCK, SCHEDULED);
    await runner.idle();
    const after = runner.activity('hubspot');
    expect(after.state, after.message).toBe('done');
    expect(await store().models.list('hubspot')).toHaveLength(1);
    expect((await runner.activityNow('hubspot')).task).toBe('retrain');
  });

  it.each([
    ['retrain', 'Stopped by SIGTERM before the retrain\'s cycle started; nothing was changed.'],
    ['install', 'Stopped by SIGTERM before the install\'s cycle started: the leadlift fields are created; the cycle did not start.'],
  ] as const)('a stop while a(n) %s waits its turn says what it did', async (task, words) => {
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), CONFIG);
    const stop = new AbortController();
    const runner = createLoopRunner({ ...base, connections: crmConnections([base.connector]), log: () => undefined, busyRetryMs: 50, stop: stop.signal });
    expect(await store().runLock.acquire(LOCK, SCHEDULED, 60_000)).toBe(true);
    try {
      expect((task === 'retrain' ? runner.startRetrain('hubspot') : runner.startInstall('hubspot')).started).toBe(true);
      // Until it waits behind the other cycle (an install has created its fields by then).
      for (let i = 0; i < 100 && !runner.activity('hubspot').message.startsWith('Waiting for the cycle under way'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(runner.activity('hubspot').message).toMatch(/^Waiting for the cycle under way/);
      stop.abort(new StopRequestedError('SIGTERM'));
      await runner.idle();
    } finally {
      await store().runLock.release(LOCK, SCHEDULED);
    }
    expect(runner.activity('hubspot')).toMatchObject({ task, state: 'failed', message: words });
    expect(runner.stopped()?.message).toBe(words);
  });
});

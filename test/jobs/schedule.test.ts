import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { ConfigError } from '../../src/domain/errors.js';
import { scheduleTimes, startScheduler } from '../../src/jobs/schedule.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

describe('schedule times', () => {
  it('defaults to the manifest: nightly retrain at 02:00 and hourly sync, in the configured time zone', () => {
    const { config, manifest } = loopDeps(null as never, null as never, { loop: { schedule: { timezone: 'Europe/Lisbon' } } });
    expect(scheduleTimes(config, manifest)).toEqual({ retrain: '0 2 * * *', sync: '0 * * * *', timezone: 'Europe/Lisbon' });
  });

  it('names the key of a bad cron expression or time zone', () => {
    const bad = (schedule: Record<string, string>) => {
      const { config, manifest } = loopDeps(null as never, null as never, { loop: { schedule } });
      return () => scheduleTimes(config, manifest);
    };
    expect(bad({ retrain: 'at two' })).toThrow(ConfigError);
    expect(bad({ retrain: 'at two' })).toThrow(/loop\.schedule\.retrain/);
    expect(bad({ timezone: 'Mars/Olympus' })).toThrow(/loop\.schedule\.timezone/);
  });
});

describe.each(backends)('scheduler ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 300, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('runs requested cycles one after another, never overlapping, and a queued retrain answers a queued sync', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const scheduler = startScheduler({ ...deps, connectors: [deps.connector] });
    try {
      const first = scheduler.runNow('sync');
      const second = scheduler.runNow('sync');
      const retrain = scheduler.runNow('retrain');
      expect(scheduler.busy()).toBe(true);
      const [a, b, c] = await Promise.all([first, second, retrain]);
      expect([a, b, c].map((o) => o[0].ran)).toEqual([true, true, true]);
      // The first sync was already running; the second was queued and answered by the retrain.
      expect(b).toBe(c);
      const runs = (await store().runs.list({ kind: 'cycle', crm: 'hubspot' })).reverse();
      expect(runs.map((r) => r.status)).toEqual(['ok', 'ok']);
      expect(runs[1].startedAt >= runs[0].finishedAt!).toBe(true);
      // The nightly cycle trains whatever the model's age (a second model after the first one).
      expect((await store().models.list('hubspot')).length).toBe(2);
      expect(scheduler.next().retrain).toBeInstanceOf(Date);
    } finally {
      await scheduler.stop();
    }
    expect(scheduler.busy()).toBe(false);
  });
});

describe('a failed scheduled cycle', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);

  it("is logged without the connector's token its error quoted", async () => {
    const token = 'pat-na1-99999999-8888-7777-6666-555555555555';
    // Its portal given, so the cycle's account check reads nothing and the pull is what fails.
    const real = createHubspotConnector({ accessToken: token, basePath: 'http://127.0.0.1:9', portalId: 1 });
    // What an SDK or a bug may throw: a message quoting the access token.
    const connector: Connector = { ...real, pullLeads: () => { throw new Error(`request failed (Authorization: Bearer ${token})`); } };
    const notes: Array<{ message: string; level?: string; fields?: object }> = [];
    const scheduler = startScheduler({ ...loopDeps(store(), connector), connectors: [connector], log: (message, level, fields) => notes.push({ message, level, ...(fields && { fields }) }) });
    try {
      await expect(scheduler.runNow('sync')).rejects.toThrow(token);
    } finally {
      await scheduler.stop();
    }
    // One line, at error, with the CRM: the cycle no longer says it at warn as well.
    expect(notes.filter((n) => n.message.includes('request failed'))).toEqual([{ message: 'The sync cycle failed: request failed (Authorization: Bearer [redacted])', level: 'error', fields: { crm: 'hubspot', kind: 'sync' } }]);
    expect(JSON.stringify(notes)).not.toContain(token);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { firstCycleOutput, scheduledCycleReporter } from '../../src/cli/cycle-log.js';
import { runAll } from '../../src/cli/run.js';
import type { LoopConnections } from '../../src/jobs/connectors-from-env.js';
import { startScheduler } from '../../src/jobs/schedule.js';
import { createLog } from '../../src/server/log.js';
import { pipe } from './pipe-stream.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from '../jobs/loop-deps.js';

const SEARCH = '^/crm/v3/objects/contacts/search$';
const LIST = '^/crm/v3/objects/contacts$';

/**
 * serve's log at LOG_LEVEL=warn: what the loop says an admin should know (a retry of the CRM, a
 * step that failed) is a warning, so it is kept while the info lines go, in the first cycle and
 * in a scheduled one alike.
 */
describe.each(backends)('the loop\'s warnings in serve\'s log at LOG_LEVEL=warn ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());
  afterEach(() => {
    fixture.sandbox.ctx.faults.length = 0;
  });

  const overrides = { loop: { minimumHistory: { closedLeads: 50, conversions: 10 } } };
  const warnLog = () => {
    const out = pipe();
    return { out, log: createLog({ LOG_FORMAT: 'json', LOG_LEVEL: 'warn' }, out.stream) };
  };
  const events = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('first cycle: a retry of the CRM is kept, at warn with its CRM; a failed step ends at warn', async () => {
    const connector = fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
    const { config, manifest } = loopDeps(store(), connector, overrides);
    const connections = { store: store(), connectors: [connector], sandbox: null, close: async () => undefined } as LoopConnections;
    // One 503, then the CRM answers: the cycle goes on after a retry it says.
    fixture.sandbox.ctx.faults.push({ id: 'once', pathPattern: LIST, kind: 'server-error', status: 503, count: 1 });
    fixture.sandbox.ctx.faults.push({ id: 'once-search', pathPattern: SEARCH, kind: 'server-error', status: 503, count: 1 });
    const ok = warnLog();
    await runAll(connections, config, manifest, false, undefined, firstCycleOutput(ok.log, false));
    const kept = events(ok.out.lines);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((e) => e.level === 'warn' || e.level === 'error')).toBe(true);
    expect(kept).toContainEqual(expect.objectContaining({ level: 'warn', crm: 'hubspot', msg: expect.stringMatching(/^hubspot: HubSpot unavailable \(HTTP 503\) while .*: retry 1 of \d+/) }));

    // The CRM keeps failing: the sync step ends "failed", at warn (it was at info before).
    fixture.sandbox.ctx.faults.push({ id: 'down', pathPattern: `${LIST}|${SEARCH}`, kind: 'server-error', status: 503 });
    const failing = warnLog();
    const down = fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 }, retry: { retries: 1, minDelayMs: 10, maxDelayMs: 10 } });
    await expect(runAll({ ...connections, connectors: [down] }, config, manifest, false, undefined, firstCycleOutput(failing.log, false))).rejects.toThrow();
    expect(events(failing.out.lines)).toContainEqual(expect.objectContaining({ level: 'warn', crm: 'hubspot', msg: expect.stringMatching(/^Syncing leads and outcomes: failed/) }));
  }, 60_000);

  it('scheduled cycle: a retry of the CRM is kept, at warn with its CRM and kind', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), overrides);
    fixture.sandbox.ctx.faults.push({ id: 'once', pathPattern: LIST, kind: 'server-error', status: 503, count: 1 });
    fixture.sandbox.ctx.faults.push({ id: 'once-search', pathPattern: SEARCH, kind: 'server-error', status: 503, count: 1 });
    const { out, log } = warnLog();
    const scheduler = startScheduler({ ...deps, connectors: [deps.connector], reporter: scheduledCycleReporter(log) });
    try {
      await scheduler.runNow('sync');
    } finally {
      await scheduler.stop();
    }
    const kept = events(out.lines);
    expect(kept.every((e) => e.level === 'warn' || e.level === 'error')).toBe(true);
    expect(kept).toContainEqual(expect.objectContaining({ level: 'warn', crm: 'hubspot', kind: 'sync', msg: expect.stringMatching(/^HubSpot unavailable \(HTTP 503\) while .*: retry 1 of \d+/) }));
  }, 60_000);

  it('scheduled cycle: an unexpected error is one line, at error, with its CRM, kind and run id, scrubbed', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), overrides);
    const [token] = deps.connector.secrets!();
    // What an SDK or a bug may throw: a message quoting the access token.
    const failing = { ...deps.connector, pullLeads: () => { throw new TypeError(`cannot read page (Authorization: Bearer ${token})`); } };
    const { out, log } = warnLog();
    const scheduler = startScheduler({ ...deps, connectors: [failing], reporter: scheduledCycleReporter(log) });
    try {
      await expect(scheduler.runNow('retrain')).rejects.toThrow(TypeError);
    } finally {
      await scheduler.stop();
    }
    const said = events(out.lines).filter((e) => String(e.msg).includes('cannot read page'));
    expect(said).toEqual([expect.objectContaining({ level: 'error', crm: 'hubspot', kind: 'retrain', runId: expect.any(String), msg: 'The retrain cycle failed: cannot read page (Authorization: Bearer [redacted])' })]);
    expect(out.lines.join('\n')).not.toContain(token);
  }, 60_000);
});

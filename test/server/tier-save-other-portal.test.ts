import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadConfig } from '../../src/config/load.js';
import type { HttpService } from '../../src/server/serve-http.js';
import { crmAccountSetting } from '../../src/store/crm-account.js';
import { syntheticCsv } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { Session } from './server-fixture.js';

/**
 * A tier save pushes the tier names to the CRM's field (creating leadlift's fields if missing)
 * before it starts a rescore: against a connection to another portal than the store holds, the
 * account check must come first, so no field is created there. `serve` on the sandbox with the
 * official SDK, each store back end; the sandbox's request log shows what reached the portal.
 */
describe.each(backends)('saving tiers while connected to another portal ($name store)', (backend) => {
  const { store } = useStore(backend);
  let sandbox: RunningSandbox;
  let service: HttpService;
  let portalId: number;
  beforeAll(async () => {
    const seed = seedLeadsFromCsv(syntheticCsv(80), { label: 'y', positive: 'yes', order: 'order', openFraction: 0.2 }, Date.now());
    sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
    portalId = ((await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as { portalId: number }).portalId;
    const connector = createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url, rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 }, search: { indexLagMs: 0 } });
    service = await startServeOnSandbox({
      sandbox,
      store: store(),
      connectors: [connector],
      config: loadConfig({ env: {}, overrides: { model: { trees: 10 }, loop: { minimumHistory: { closedLeads: 30, conversions: 5 }, minAuc: 0 } } }),
    });
  });
  afterAll(async () => {
    await service?.deps.loop.idle();
    await service?.close();
    await sandbox?.close();
  });

  const tierField = async () => {
    const hubspot = new Client({ accessToken: sandbox.token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    return hubspot.crm.properties.coreApi.getByName('contacts', 'leadlift_tier').then(
      (p) => p.options.map((o) => o.value),
      (err: { code?: number }) => (err.code === 404 ? null : Promise.reject(err)),
    );
  };

  async function save(names: string[]): Promise<string> {
    const s = new Session(service.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers', { form: { _csrf: csrf, name: names, mode: ['score', 'score', 'score'], min: ['70', '30', '0'], perDay: ['', '', ''] } });
    expect(res.status).toBe(303);
    const page = await (await s.request('/admin')).text();
    return /<p class="notice" role="status">(.*?)<\/p>/s.exec(page)![1].replace(/&#39;/g, "'").replace(/&quot;/g, '"');
  }

  it('is refused before any field is written there; connected to the portal it holds, the save creates the field', async () => {
    const held = portalId + 5;
    await store().settings.set(crmAccountSetting('hubspot'), { id: String(held), since: new Date().toISOString() }, 'test');
    expect(await tierField()).toBeNull();
    const mark = sandbox.ctx.log.length;
    const notice = await save(['Top', 'Middle', 'Rest']);
    await service.deps.loop.idle();
    expect(notice).toContain(`holds the leads, scores and model of HubSpot portal ${held}`);
    expect(notice).toContain(`belongs to portal ${portalId}`);
    expect(notice).toContain('leadlift forget --crm hubspot --all');
    expect(notice).not.toContain('The next sync tries again');
    expect(notice).not.toContain('being rescored');
    // Only the reads naming the token's portal: no property created, no score written.
    const sent = sandbox.ctx.log.slice(mark).filter((r) => !r.path.startsWith('/__sandbox/'));
    expect(sent.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await tierField()).toBeNull();

    await store().settings.set(crmAccountSetting('hubspot'), { id: String(portalId), since: new Date().toISOString() }, 'test');
    const ok = await save(['Top', 'Middle', 'Low']);
    await service.deps.loop.idle();
    expect(ok).toContain('now offers these tier names');
    expect(await tierField()).toEqual(['Top', 'Middle', 'Low']);
  });
});

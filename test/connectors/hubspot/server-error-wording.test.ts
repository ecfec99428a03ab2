import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

/**
 * A persistent 500 read "HubSpot could not be reached while searching contacts … HubSpot answered
 * 500: The server encountered an error; try the request again.. Nothing was lost…": a server that
 * answered was reached, and HubSpot's own message already ends with a full stop.
 */
describe('HubSpot server and network failures that outlast the retries', () => {
  let fx: HubspotFixture;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 20, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
  });
  afterAll(() => fx?.close());
  const pull = (port?: number) =>
    allPages(
      fx
        .connector({ retry: { retries: 1, minDelayMs: 10 }, ...(port ? { basePath: `http://127.0.0.1:${port}` } : {}) })
        .pullLeads({ mode: 'incremental', since: new Date(0).toISOString(), lastId: null }),
    );

  it('say HubSpot answered with a server error, with its message once and one full stop', async () => {
    await fx.control('POST', '/faults', { id: 'p500', pathPattern: '/crm/v3/objects/contacts/search', kind: 'server-error', status: 500 });
    const err = await pull().catch((e: Error) => e);
    await fx.control('DELETE', '/faults/p500');
    expect((err as Error).message).toMatch(
      /^HubSpot answered 500 \(a server error\) while searching contacts modified since \S+: The server encountered an error; try the request again\. Nothing was lost; the next run resumes from the last checkpoint\.$/,
    );
    expect((err as Error).message).not.toMatch(/could not be reached|\.\./);
  });

  it('say it could not be reached only when nothing answered', async () => {
    await fx.control('POST', '/faults', { id: 'drop', pathPattern: '/crm/v3/objects/contacts/search', kind: 'drop' });
    const err = await pull().catch((e: Error) => e);
    await fx.control('DELETE', '/faults/drop');
    expect((err as Error).message).toMatch(/^HubSpot could not be reached while searching contacts modified since .+: .+[^.]\. Nothing was lost; /);
    expect((err as Error).message).not.toMatch(/\.\. /);
  });
});

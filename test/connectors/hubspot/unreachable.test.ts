import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../../connectors/hubspot/index.js';
import { HubspotUnavailableError } from '../../../connectors/hubspot/errors.js';
import { freePort } from '../../free-port.js';

let server: Server | null = null;
afterEach(async () => {
  const s = server;
  server = null;
  if (s?.listening) await new Promise<void>((resolve) => s.close(() => resolve()));
});

const connectorAt = (basePath: string, notes: string[]) => {
  const connector = createHubspotConnector({ accessToken: 'pat-test', basePath, retry: { retries: 3, minDelayMs: 20, maxDelayMs: 50 } });
  connector.setNoteListener!((text) => notes.push(text));
  return connector;
};
const firstPage = (connector: ReturnType<typeof createHubspotConnector>) => connector.pullLeads(null)[Symbol.asyncIterator]().next();

describe('HubSpot that does not answer', () => {
  it('refused at the very first request: fails at once, without a minute of retries', async () => {
    const notes: string[] = [];
    const connector = connectorAt(`http://127.0.0.1:${await freePort()}`, notes);
    const err = await firstPage(connector).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubspotUnavailableError);
    expect((err as Error).message).toMatch(/HubSpot could not be reached while .*ECONNREFUSED.*Nothing answers at http:\/\/127\.0\.0\.1:\d+: check HUBSPOT_BASE_URL/);
    // One attempt, no retry (a timing bound read 212 ms on a loaded machine: the count says it).
    expect(connector.usage.apiCalls).toBe(1);
    expect(notes).toEqual([]);
  });

  it('says each retry while it waits, with the reason: a 503, then a refusal once it had answered', async () => {
    let requests = 0;
    server = createServer((req, res) => {
      requests += 1;
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ status: 'error', message: 'Service Unavailable' }));
      // After its first answer the server goes away: the next attempts are refused.
      if (requests === 1) server!.close();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const notes: string[] = [];
    const err = await firstPage(connectorAt(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, notes)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubspotUnavailableError);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatch(/^HubSpot unavailable \(HTTP 503\) while [a-z].*: retry 1 of 3 within a second$/);
    expect(notes[1]).toMatch(/^HubSpot not reachable \(ECONNREFUSED\) while [a-z].*: retry 2 of 3 within a second$/);
    expect(notes[2]).toMatch(/: retry 3 of 3 within a second$/);
  });
});

import { describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../../connectors/hubspot/index.js';
import { HubspotUnavailableError, HubspotUnreachableError } from '../../../connectors/hubspot/errors.js';
import { freePort } from '../../free-port.js';

describe('HubSpot refused at the very first request', () => {
  it('is an error of its own, naming the address and HUBSPOT_BASE_URL, not a "resumes" sentence rewritten', async () => {
    const basePath = `http://127.0.0.1:${await freePort()}`;
    const connector = createHubspotConnector({ accessToken: 'pat-test', basePath, retry: { retries: 3, minDelayMs: 20, maxDelayMs: 50 } });
    const err = await connector.pullLeads(null)[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubspotUnreachableError);
    // Callers that handle "not reachable" still handle it.
    expect(err).toBeInstanceOf(HubspotUnavailableError);
    expect((err as HubspotUnreachableError).basePath).toBe(basePath);
    expect((err as HubspotUnreachableError).status).toBe(0);
    const message = (err as Error).message;
    expect(message).toMatch(/^HubSpot could not be reached while [a-z][^:]*: .*ECONNREFUSED.*\. Nothing answers at http:\/\/127\.0\.0\.1:\d+: check HUBSPOT_BASE_URL \(and that this machine can reach it\)\. Nothing was lost\.$/);
    expect(message).not.toContain('next run resumes');
    expect(message).not.toContain('pat-test');
    // The raw network error can quote a request URL with a token, and loggers print causes.
    expect((err as Error).cause).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector } from '../../../connectors/salesforce/index.js';
import { SalesforceError } from '../../../connectors/salesforce/errors.js';
import { startSalesforceFixture, type SalesforceFixture } from './fixture.js';
import { freePort } from '../../free-port.js';

const RETRY = { retries: 3, minDelayMs: 20, maxDelayMs: 50 };

describe('Salesforce that does not answer', () => {
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 40 });
  });
  afterAll(() => fx?.close());

  it('refused at the very first request: fails at once, without the retries (a wrong SALESFORCE_INSTANCE_URL)', async () => {
    const notes: string[] = [];
    const connector = createSalesforceConnector({ instanceUrl: `http://127.0.0.1:${await freePort()}`, accessToken: 'token-never-sent-anywhere', retry: RETRY });
    connector.setNoteListener!((text) => notes.push(text));
    const err = await connector.pullLeads(null)[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceError);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect((err as Error).message).not.toContain('token-never-sent-anywhere');
    // One attempt, counted, and no retry (jsforce's own retries are off too, or it would take 15 s).
    expect(connector.usage.apiCalls).toBe(1);
    expect(notes).toEqual([]);
  });

  it('an org that answers 503 twice: each retry is said while it waits, then the read goes through', async () => {
    const notes: string[] = [];
    const connector = fx.connector({ retry: RETRY });
    connector.setNoteListener!((text) => notes.push(text));
    await fx.control('POST', '/faults', { id: 'down', kind: 'server-error', status: 503, pathPattern: '/query', count: 2 });
    try {
      const first = await connector.pullLeads(null)[Symbol.asyncIterator]().next();
      expect(first.done).toBe(false);
    } finally {
      await fx.control('DELETE', '/faults/down').catch(() => undefined);
    }
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^Salesforce unavailable \((HTTP 503|SERVER_UNAVAILABLE)\) while .+: retry 1 of 3 within a second$/);
    expect(notes[1]).toMatch(/: retry 2 of 3 within a second$/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSalesforceConfig } from '../../../connectors/salesforce/index.js';
import { allPages, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * The outcome pull asks for the opportunities of converted leads with `Id IN (…)` in a GET URL,
 * and Salesforce refuses a request line and headers over 16,384 bytes (431, as the sandbox does):
 * the largest idChunkSize the settings accept still fits.
 */
describe('Salesforce idChunkSize and the URL length limit', () => {
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 2500, openFraction: 0.05 });
  });
  afterAll(async () => fx?.close());

  const converted = async () => (await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = true', { autoFetch: true, maxFetch: 10_000 })).records.length;

  it('the largest accepted chunk (400 ids) is read in full, each URL well under the limit', async () => {
    expect(await converted()).toBeGreaterThan(400);
    const outcomes = (await allPages(fx.connector({ idChunkSize: 400 }).pullOutcomes(null))).flatMap((p) => p.records);
    expect(outcomes.length).toBe(fx.seed.filter((s) => !s.open).length);
    expect(fx.sandbox.ctx.log.filter((r) => r.status === 431)).toEqual([]);
    const chunked = fx.sandbox.ctx.log.filter((r) => r.path.includes('%20IN%20('));
    expect(chunked.length).toBeGreaterThan(0);
    // Room left for the headers (Authorization, User-Agent, …) within Salesforce's 16,384 bytes.
    expect(Math.max(...chunked.map((r) => r.path.length))).toBeLessThan(14_000);
  });

  it('a larger idChunkSize is refused when the settings are read, naming the key', () => {
    expect(() => parseSalesforceConfig({ instanceUrl: 'https://acme.my.salesforce.com', accessToken: 'x', idChunkSize: 401 })).toThrow(/idChunkSize/);
  });
});

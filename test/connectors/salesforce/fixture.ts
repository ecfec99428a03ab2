import type { LoggedRequest, SeedLead } from '../../../connectors/sandbox/context.js';
import { seedLeadsFromCsv } from '../../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../../connectors/sandbox/server.js';
import { createSalesforceConnector, type SalesforceConfigInput, type SalesforceConnector } from '../../../connectors/salesforce/index.js';
import type { TokenVault } from '../../../connectors/salesforce/index.js';
import type { ScoreWrite } from '../../../connectors/types.js';
import { Connection } from 'jsforce';
import { syntheticCsv } from '../hubspot/sandbox-fixture.js';

/**
 * A Salesforce sandbox on a free port, seeded with `leads` synthetic CSV rows (older ones closed
 * won or lost as the sandbox records them, the newest `openFraction` open), and connectors
 * pointed at it through real jsforce.
 */
export interface SalesforceFixture {
  sandbox: RunningSandbox;
  seed: SeedLead[];
  connector(overrides?: Partial<SalesforceConfigInput>, vault?: TokenVault): SalesforceConnector;
  /** A plain jsforce connection for checking what the connector did. */
  jsforce(): Connection;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startSalesforceFixture(options: { leads: number; openFraction?: number; dailyLimit?: number }): Promise<SalesforceFixture> {
  const seed = seedLeadsFromCsv(syntheticCsv(options.leads), { label: 'y', positive: 'yes', order: 'order', openFraction: options.openFraction ?? 0.2 }, Date.now());
  const sandbox = await startSandbox({ port: 0, crm: 'salesforce', seed, salesforceDailyLimit: options.dailyLimit });
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  // The push tests write scores onto leads picked by creation order, converted ones among them,
  // which a new org refuses (CANNOT_UPDATE_CONVERTED_LEAD): these run against an org whose Lead
  // Settings let the integration user edit converted leads.
  await control('PATCH', '/options', { salesforceEditConvertedLeads: true });
  return {
    sandbox,
    seed,
    connector: (overrides = {}, vault) =>
      createSalesforceConnector(
        {
          instanceUrl: sandbox.url,
          accessToken: sandbox.token,
          ...overrides,
          retry: { minDelayMs: 20, maxDelayMs: 200, ...overrides.retry },
          bulkPollIntervalMs: overrides.bulkPollIntervalMs ?? 20,
        },
        vault,
      ),
    jsforce: () => new Connection({ instanceUrl: sandbox.url, accessToken: sandbox.token, version: '60.0' }),
    control,
    close: () => sandbox.close(),
  };
}

// The same synthetic leads and page drain as the HubSpot fixture, so both CRMs are tested alike.
export { allPages, syntheticCsv } from '../hubspot/sandbox-fixture.js';

export const TIERS = ['Hot', 'Warm', 'Cool', 'Cold'];

export function scoreFields(tiers = TIERS) {
  return [
    { key: 'score', label: 'Lead score', type: 'number' },
    { key: 'tier', label: 'Tier', type: 'enumeration', options: tiers },
    { key: 'probability', label: 'Probability', type: 'number' },
    { key: 'reasons', label: 'Reasons', type: 'text' },
    { key: 'trend', label: 'Trend', type: 'enumeration', options: ['up', 'steady', 'down'] },
    { key: 'modelVersion', label: 'Model', type: 'text' },
    { key: 'scoredAt', label: 'Scored at', type: 'datetime' },
  ] as const satisfies ReadonlyArray<import('../../../connectors/types.js').ScoreFieldSpec>;
}

/** Distinct, deterministic scores for `ids`; each `seed` gives other values and model `m-<seed>`. */
export function scoresFor(ids: string[], seed = 0): ScoreWrite[] {
  return ids.map((leadId, i) => ({
    leadId,
    score: (i * 7 + seed) % 101,
    tier: TIERS[(i + seed) % 4],
    probability: ((i * 7 + seed) % 101) / 100,
    reasons: `+ job: "admin", 12%\n- balance below 500, 4%`,
    trend: 'steady',
    modelVersion: `m-${seed}`,
    scoredAt: '2024-05-01T10:00:00.000Z',
  }));
}

/** Every seeded lead's id, oldest first. */
export async function leadIdsOf(fx: SalesforceFixture): Promise<string[]> {
  const res = await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead ORDER BY CreatedDate', { autoFetch: true, maxFetch: 10_000 });
  return res.records.map((r) => r.Id);
}

/** The sandbox's log of the Salesforce requests since it was last cleared. */
export async function requests(fx: SalesforceFixture): Promise<LoggedRequest[]> {
  return (await fx.control<{ results: LoggedRequest[] }>('GET', '/requests?crm=salesforce')).results;
}

export const clearLog = (fx: SalesforceFixture): Promise<unknown> => fx.control('DELETE', '/requests');

/** Bulk API 2.0 ingest jobs created (POST /jobs/ingest). */
export const jobsCreated = (log: LoggedRequest[]): LoggedRequest[] => log.filter((r) => r.method === 'POST' && /\/jobs\/ingest\/?$/.test(r.path));

/** sObject Collections updates (PATCH /composite/sobjects). */
export const collections = (log: LoggedRequest[]): LoggedRequest[] => log.filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'));

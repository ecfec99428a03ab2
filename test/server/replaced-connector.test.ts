import { describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { ConnectionReplacedError, replaceable } from '../../src/server/replaced-connector.js';

/** A connector whose every method records its call: which of them a retired one still lets through. */
function recording(): { connector: Connector; calls: string[] } {
  const calls: string[] = [];
  const call = (name: string) => async () => {
    calls.push(name);
    return null as never;
  };
  const connector = {
    crm: 'hubspot',
    pushBatchSize: 100,
    ensureSchema: call('ensureSchema'),
    pullLeads: async function* () {
      calls.push('pullLeads');
    },
    pullOutcomes: async function* () {
      calls.push('pullOutcomes');
    },
    pushScores: call('pushScores'),
    readLeads: call('readLeads'),
    readDailyUsage: call('readDailyUsage'),
    accountId: call('accountId'),
    secrets: () => ['s3cret'],
    planPush: () => null,
  } as unknown as Connector;
  return { connector, calls };
}

describe('a replaced connector', () => {
  it('refuses every CRM call once retired, methods it was not told about included, and keeps its local ones', async () => {
    const { connector, calls } = recording();
    const r = replaceable(connector);
    await r.connector.readLeads!(['1']);
    expect(calls).toEqual(['readLeads']);
    r.retire('HubSpot reconnected to portal 2');
    for (const name of ['readLeads', 'readDailyUsage', 'accountId', 'ensureSchema', 'pushScores'] as const) {
      await expect((r.connector[name] as (...a: unknown[]) => Promise<unknown>)([])).rejects.toBeInstanceOf(ConnectionReplacedError);
    }
    await expect(r.connector.pullLeads(null)[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ConnectionReplacedError);
    expect(calls).toEqual(['readLeads']);
    // Local: a failure's text can still be scrubbed, and its properties read.
    expect(r.connector.secrets!()).toEqual(['s3cret']);
    expect(r.connector.pushBatchSize).toBe(100);
    // A spread copies the guarded methods.
    await expect({ ...r.connector }.readDailyUsage!()).rejects.toBeInstanceOf(ConnectionReplacedError);
  });
});

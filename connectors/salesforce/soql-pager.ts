import type { Connection, QueryOptions, QueryResult } from 'jsforce';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { SalesforceConfig } from './config.js';

/**
 * Runs one SOQL query and yields its pages as Salesforce sends them: the first through query
 * (or queryAll, which includes deleted records), the rest through queryMore on the locator.
 * Each page is one API request, so pull costs are counted exactly.
 */

export type SoqlRecord = Record<string, unknown> & { Id: string };

export async function* soqlPages(
  caller: ApiCaller,
  config: SalesforceConfig,
  soql: string,
  options: { action: string; includeDeleted?: boolean; stats?: CallStats },
): AsyncGenerator<SoqlRecord[]> {
  const headers = { 'Sforce-Query-Options': `batchSize=${config.queryBatchSize}` };
  let result = await caller.call(
    options.action,
    (conn) => firstPage<SoqlRecord>(conn, soql, { scanAll: options.includeDeleted ?? false, headers }),
    { stats: options.stats },
  );
  for (;;) {
    yield result.records.map(withoutAttributes);
    if (result.done || !result.nextRecordsUrl) return;
    const locator = result.nextRecordsUrl;
    result = await caller.call(`${options.action} (next page)`, async (conn) => (await conn.queryMore<SoqlRecord>(locator, { autoFetch: false, headers } as unknown as QueryOptions)) as QueryResult<SoqlRecord>, {
      stats: options.stats,
    });
  }
}

/** Every record of a query (for small ones: ids of a chunk, opportunities of a page). */
export async function soqlAll(caller: ApiCaller, config: SalesforceConfig, soql: string, action: string, stats?: CallStats): Promise<SoqlRecord[]> {
  const out: SoqlRecord[] = [];
  for await (const page of soqlPages(caller, config, soql, { action, stats })) out.push(...page);
  return out;
}

function withoutAttributes(record: SoqlRecord): SoqlRecord {
  const { attributes: _ignored, ...rest } = record as SoqlRecord & { attributes?: unknown };
  return rest as SoqlRecord;
}

/** One page of a query (no auto-fetch: queryMore is ours to call, so each page is counted). */
export async function firstPage<T extends Record<string, unknown>>(conn: Connection, soql: string, options: Partial<QueryOptions> = {}): Promise<QueryResult<T>> {
  return (await conn.query<T>(soql, { ...options, autoFetch: false })) as QueryResult<T>;
}

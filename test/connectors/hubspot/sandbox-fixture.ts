import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../connectors/sandbox/server.js';
import { seedLeadsFromCsv } from '../../../connectors/sandbox/seed.js';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import { createHubspotConnector, type HubspotConfigInput, type HubspotConnector } from '../../../connectors/hubspot/index.js';

/**
 * A HubSpot sandbox on a free port, seeded with `leads` synthetic CSV rows or the given `csv`
 * (older ones closed won or lost, the newest `openFraction` open), and connectors pointed at it
 * through the real SDK.
 */
export interface HubspotFixture {
  sandbox: RunningSandbox;
  seed: SeedLead[];
  connector(overrides?: HubspotConfigInput): HubspotConnector;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startHubspotFixture(
  options: ({ leads: number } | { csv: { text: string; label: string; positive: string; order?: string } }) & { openFraction?: number } & Pick<SandboxOptions, 'hubspotRateLimit' | 'hubspotSearchRateLimit'>,
): Promise<HubspotFixture> {
  // Synthetic rows by default; `csv` seeds from given text instead (its outcome column and value).
  const csv = 'csv' in options ? options.csv : { text: syntheticCsv(options.leads), label: 'y', positive: 'yes', order: 'order' };
  const seed = seedLeadsFromCsv(csv.text, { label: csv.label, positive: csv.positive, order: csv.order, openFraction: options.openFraction ?? 0.2 }, Date.now());
  const sandbox = await startSandbox({
    port: 0,
    crm: 'hubspot',
    seed,
    hubspotRateLimit: options.hubspotRateLimit,
    hubspotSearchRateLimit: options.hubspotSearchRateLimit,
  });
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  return {
    sandbox,
    seed,
    connector: (overrides = {}) =>
      createHubspotConnector({
        accessToken: sandbox.token,
        basePath: sandbox.url,
        ...overrides,
        // Tests read the sandbox right after writing it: no search index lag to allow for.
        search: { indexLagMs: 0, ...overrides.search },
        retry: { minDelayMs: 50, ...overrides.retry },
      }),
    control,
    close: () => sandbox.close(),
  };
}

/** Rows with a few typed columns; "y" is the outcome, roughly one in four "yes". */
/** Rows whose balance is unique but in no time order: an input, not a counter (see leakage.ts). */
export function syntheticCsv(rows: number): string {
  const jobs = ['admin', 'technician', 'services', 'management', 'retired'];
  const lines = ['order,age,job,balance,y'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${i},${20 + ((i * 7) % 50)},${jobs[i % jobs.length]},${(i * 379) % 5000},${(i * 2654435761) % 4 === 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

/** Drains an async iterable of pages. */
export async function allPages<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/**
 * A stored lead cursor without `indexedThrough`, which every completed pull moves to its own start
 * (see keyset-search.ts changesSince): what "the cursor did not move" compares.
 */
export function cursorPosition(cursor: unknown): unknown {
  const { indexedThrough: _ignored, ...position } = cursor as Record<string, unknown>;
  return position;
}

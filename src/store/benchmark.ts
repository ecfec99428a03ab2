import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { LeadRecord } from '../../connectors/types.js';
import { openStore } from './store.js';

export interface StoreBenchResult {
  backEnd: 'sqlite' | 'postgres';
  records: number;
  /** First sync: every record new. */
  insertMs: number;
  insertCpuMs: number;
  /** Same page again (a replay after a crash): every record an upsert conflict. */
  upsertMs: number;
  upsertCpuMs: number;
}

/**
 * How long one commitPage of `records` synthetic CRM contacts takes on a throwaway store: a
 * temporary SQLite file, or a temporary schema in `databaseUrl` (dropped afterwards). For
 * `npm run bench`; speed targets live here, not in timed tests.
 */
export async function benchStoreUpsert(options: { records?: number; databaseUrl?: string } = {}): Promise<StoreBenchResult> {
  const n = options.records ?? 50_000;
  const page = syntheticContacts(n);
  const home = options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'leadlift-bench-'));
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const store = await openStore(options.databaseUrl ? { databaseUrl: options.databaseUrl, pgSchema: schema } : { home, databaseUrl: '' });
  try {
    const first = await timed(() => store.commitPage('hubspot', 'contacts', page, { after: 'first' }));
    const again = await timed(() => store.commitPage('hubspot', 'contacts', page, { after: 'again' }));
    return {
      backEnd: store.kind,
      records: n,
      insertMs: first.wallMs,
      insertCpuMs: first.cpuMs,
      upsertMs: again.wallMs,
      upsertCpuMs: again.cpuMs,
    };
  } finally {
    if (store.kind === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
    await store.close();
    if (home) rmSync(home, { recursive: true, force: true });
  }
}

async function timed(fn: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wallMs: Math.round(performance.now() - start), cpuMs: Math.round((used.user + used.system) / 1000) };
}

/** Contacts shaped like a HubSpot page: ids, timestamps and a dozen short properties. */
function syntheticContacts(n: number): LeadRecord[] {
  const base = Date.parse('2024-01-01T00:00:00.000Z');
  const jobs = ['admin.', 'technician', 'services', 'management', 'retired', 'blue-collar'];
  return Array.from({ length: n }, (_, i) => ({
    crm: 'hubspot' as const,
    id: String(100_000 + i),
    createdAt: new Date(base + i * 60_000).toISOString(),
    modifiedAt: new Date(base + i * 60_000 + 3_600_000).toISOString(),
    archived: false,
    properties: {
      email: `lead${i}@example.com`,
      firstname: `First${i}`,
      lastname: `Last${i}`,
      jobtitle: jobs[i % jobs.length],
      age: String(20 + (i % 50)),
      marital: i % 3 === 0 ? 'single' : 'married',
      education: 'tertiary',
      balance: String((i * 37) % 5000),
      housing: i % 2 === 0 ? 'yes' : 'no',
      loan: 'no',
      lifecyclestage: 'lead',
      hs_lead_status: null,
    },
  }));
}

import { InputError } from '../../domain/errors.js';
import { benchStoreUpsert } from '../../store/benchmark.js';
import type { PipelineResult } from '../bench-job.js';
import { peakRssMb } from '../peak-rss.js';

/** The PostgreSQL the bench may use: the tests' database first, else the app's own. */
export function benchDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.LEADLIFT_TEST_DATABASE_URL || env.DATABASE_URL || null;
}

/**
 * One sync page of `records` contacts committed to a throwaway store, then the same page again
 * (the replay after a crash: every record an upsert conflict).
 */
export async function runStoreJob(backEnd: 'sqlite' | 'postgres', records: number): Promise<PipelineResult> {
  let databaseUrl: string | undefined;
  if (backEnd === 'postgres') {
    databaseUrl = benchDatabaseUrl() ?? undefined;
    if (!databaseUrl) throw new InputError('the PostgreSQL row needs LEADLIFT_TEST_DATABASE_URL or DATABASE_URL');
  }
  const r = await benchStoreUpsert({ records, databaseUrl });
  const seconds = r.insertMs / 1000;
  return {
    kind: 'pipeline',
    items: r.records,
    unit: 'records',
    seconds,
    cpuSeconds: r.insertCpuMs / 1000,
    itemsPerSecond: r.records / seconds,
    peakRssMb: peakRssMb(),
    details: { replaySeconds: r.upsertMs / 1000, replayCpuSeconds: r.upsertCpuMs / 1000 },
  };
}

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { WAL_SIZE_LIMIT_BYTES } from '../../src/store/sqlite-connection.js';
import { openStore, type Store } from '../../src/store/store.js';
import { TEST_SECRET_KEY } from './backends.js';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
const POLICY = { scoresDays: 365, snapshotsDays: 90, runsDays: 90, keepModels: 5 };
const LEADS = 2000;
/** About what a bank lead's snapshot holds (20 properties), padded so the test's file is a few MB. */
const PROPERTIES = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`property_${i}`, `value ${i} `.repeat(8)]));

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function freshHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'leadlift-file-space-'));
  homes.push(home);
  return home;
}

/** Every lead scored twice: 200 days ago (prunable: not its latest, older than the snapshots' 90 days) and yesterday. */
async function seedTwoScoresPerLead(store: Store): Promise<void> {
  for (const at of [daysAgo(200), daysAgo(1)]) {
    const ids = Array.from({ length: LEADS }, (_, i) => `lead-${i}`);
    await store.scores.insert('hubspot', ids.map((leadId) => ({ leadId, score: 50, tier: 'Warm', probability: 0.5, reasons: '+ job: management', trend: 'steady', modelVersion: 'm1', scoredAt: at })));
    await store.snapshots.save('hubspot', ids.map((leadId) => ({ leadId, scoredAt: at, modelVersion: 'm1', properties: PROPERTIES })));
  }
}

/** The file as it stands on disk once the WAL is folded into it (SQLite truncates the file at a checkpoint). */
async function checkpointedSize(store: Store, file: string): Promise<number> {
  await sql.raw('pragma wal_checkpoint(TRUNCATE)').execute(store.db);
  return statSync(file).size;
}

describe('the SQLite file after a prune', () => {
  it('gives the pages a large prune freed back to the disk on a new store, keeping a tenth of the file free for new rows', async () => {
    const home = freshHome();
    const file = join(home, 'leadlift.db');
    const store = await openStore({ home, secretKey: TEST_SECRET_KEY });
    try {
      await seedTwoScoresPerLead(store);
      const before = await checkpointedSize(store, file);
      const result = await store.prune('hubspot', POLICY, { actor: 'test', now: NOW });
      expect(result.removed).toMatchObject({ snapshots: LEADS });
      expect(result.sqliteFile).toMatchObject({ autoVacuum: 'incremental' });
      const after = await checkpointedSize(store, file);
      // About half the snapshot history went; without the release the file keeps its size.
      expect(after).toBeLessThan(before * 0.75);
      expect(result.sqliteFile!.releasedBytes).toBe(before - after);
      expect(result.sqliteFile!.fileBytes).toBe(after);
      expect(result.sqliteFile!.freeBytes).toBeLessThanOrEqual(Math.ceil(before * 0.1));
      // What stays is intact: each lead's latest snapshot.
      expect((await store.snapshots.latestOf('hubspot', ['lead-0', `lead-${LEADS - 1}`])).get('lead-0')?.properties).toEqual(PROPERTIES);
    } finally {
      await store.close();
    }
  });

  it('on a store created before auto_vacuum was set, releases nothing and says its mode, leaving the space for new rows', async () => {
    const home = freshHome();
    const file = join(home, 'leadlift.db');
    // An older leadlift's file: tables created with SQLite's default auto_vacuum (none).
    const old = new SQLite(file);
    old.exec('create table older_release (id integer)');
    old.close();
    const store = await openStore({ home, secretKey: TEST_SECRET_KEY });
    try {
      await seedTwoScoresPerLead(store);
      const before = await checkpointedSize(store, file);
      const result = await store.prune('hubspot', POLICY, { actor: 'test', now: NOW });
      expect(result.sqliteFile).toMatchObject({ autoVacuum: 'none', releasedBytes: 0 });
      expect(result.sqliteFile!.freeBytes).toBeGreaterThan(before * 0.25);
      expect(await checkpointedSize(store, file)).toBe(before);
    } finally {
      await store.close();
    }
  });

  it('adds nothing to a dry run or a prune that removed nothing', async () => {
    const home = freshHome();
    const store = await openStore({ home, secretKey: TEST_SECRET_KEY });
    try {
      await seedTwoScoresPerLead(store);
      expect((await store.prune('hubspot', POLICY, { actor: 'test', now: NOW, dryRun: true })).sqliteFile).toBeUndefined();
      expect((await store.prune('hubspot', { ...POLICY, snapshotsDays: null }, { actor: 'test', now: NOW })).sqliteFile).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('keeps the WAL file at most journal_size_limit once a checkpoint has reset it after a large write', async () => {
    const home = freshHome();
    const file = join(home, 'leadlift.db');
    const store = await openStore({ home, secretKey: TEST_SECRET_KEY });
    try {
      // One transaction far larger than the limit (a model bundle's write, a prune's batch).
      await seedTwoScoresPerLead(store);
      await store.transaction(async (tx) => {
        await tx.snapshots.save('hubspot', Array.from({ length: 4 * LEADS }, (_, i) => ({ leadId: `big-${i}`, scoredAt: daysAgo(2), modelVersion: 'm1', properties: PROPERTIES })));
      });
      // The next write after a complete checkpoint resets the WAL, and truncates it to the limit.
      await sql.raw('pragma wal_checkpoint(PASSIVE)').execute(store.db);
      await store.runs.start('cycle', 'hubspot');
      expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    } finally {
      await store.close();
    }
  });
});

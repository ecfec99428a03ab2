import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/domain/errors.js';
import { StoreConnectionError } from '../../src/store/errors.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/store.js';
import { backends, useStore } from './backends.js';
import { leads } from './leads.js';

describe.each(backends)('opening the store on $name', (backend) => {
  const { store, database } = useStore(backend);

  it('migrates once: reopening and migrating again change nothing and keep the data', async () => {
    await store().commitPage('hubspot', 'contacts', leads(3), { after: '3' });
    const again = await database().open();
    try {
      expect(await database().exclusive(() => migrateToLatest(again.db, again.kind))).toEqual([]);
      expect(await again.records.count('hubspot', 'contacts')).toBe(3);
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from kysely_migration`.execute(again.db);
      // Each migration recorded exactly once.
      expect(Number(rows[0].n)).toBe(Object.keys(await migrationProvider.getMigrations()).length);
    } finally {
      await again.close();
    }
  });

  it('rolls a store.transaction back as a whole', async () => {
    await expect(
      store().transaction(async (tx) => {
        await tx.records.upsert('hubspot', leads(2), { objectType: 'contacts', source: 'sync' });
        await tx.settings.set('tiers', [{ name: 'Hot', minScore: 80 }], 'alice');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await store().records.count('hubspot', 'contacts')).toBe(0);
    expect(await store().settings.get('tiers')).toBeNull();
    expect(await store().audit.list()).toEqual([]);
  });
});

describe('store back-end selection and connection errors', () => {
  it('uses SQLite in LEADLIFT_HOME in WAL mode when no DATABASE_URL is given', async () => {
    const home = mkdtempSync(join(tmpdir(), 'leadlift-home-'));
    const store = await openStore({ home, databaseUrl: '' });
    try {
      expect(store.kind).toBe('sqlite');
      expect(store.location).toBe(join(home, 'leadlift.db'));
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(rows[0].journal_mode).toBe('wal');
    } finally {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('says which folder cannot hold the SQLite store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadlift-home-'));
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    try {
      await expect(openStore({ home: file })).rejects.toThrow(/Cannot open the store at .*not-a-folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a read-only SQLite store file by name before any write, instead of failing mid-cycle', async (ctx) => {
    const home = mkdtempSync(join(tmpdir(), 'leadlift-home-'));
    const file = join(home, 'leadlift.db');
    await (await openStore({ home, databaseUrl: '' })).close();
    // Root writes a 0400 file anyway, so as root the file is made immutable instead (ext4, tmpfs).
    const asRoot = process.getuid?.() === 0;
    try {
      if (asRoot) execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
      else chmodSync(file, 0o400);
    } catch {
      rmSync(home, { recursive: true, force: true });
      ctx.skip();
    }
    try {
      const opened = openStore({ home, databaseUrl: '' });
      await expect(opened).rejects.toThrow(StoreConnectionError);
      await expect(opened).rejects.toThrow(`The store file ${file} cannot be written`);
      await expect(opened).rejects.toThrow(/writable by the user leadlift runs as .* or point LEADLIFT_HOME/);
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', file]);
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('names host and database but masks the password when PostgreSQL is unreachable', async () => {
    const url = 'postgres://leadlift:Sup3r-Secret-pw@127.0.0.1:1/leadlift_prod';
    const err = await openStore({ databaseUrl: url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreConnectionError);
    const message = (err as Error).message;
    expect(message).toContain('"leadlift_prod" on 127.0.0.1:1');
    expect(message).toContain('postgres://leadlift:****@127.0.0.1:1/leadlift_prod');
    expect(message).toMatch(/connection refused/);
    expect(message).not.toContain('Sup3r-Secret-pw');
    expect(JSON.stringify(err)).not.toContain('Sup3r-Secret-pw');
  });

  it('does not echo a DATABASE_URL it cannot parse', async () => {
    const err = await openStore({ databaseUrl: 'postgres://leadlift:Sup3r-Secret-pw@[bad-host/db' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('DATABASE_URL');
    expect((err as Error).message).not.toContain('Sup3r-Secret-pw');
  });

  const pgUrl = process.env.LEADLIFT_TEST_DATABASE_URL;
  it.skipIf(!pgUrl)('masks a wrong password that PostgreSQL rejects', async () => {
    const url = new URL(pgUrl!);
    url.password = 'Wr0ng-Secret-pw';
    const err = await openStore({ databaseUrl: url.toString() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreConnectionError);
    expect((err as Error).message).toMatch(/password authentication failed/);
    expect((err as Error).message).toContain(`on ${url.hostname}:${url.port || '5432'}`);
    expect((err as Error).message).not.toContain('Wr0ng-Secret-pw');
  });
});

import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireSandboxLock } from '../../src/jobs/sandbox-lock.js';
import { openStore } from '../../src/store/store.js';
import { leads } from './leads.js';

// The store holds every lead's synced properties and the encrypted tokens: no other local user
// may read it. Checked under the usual umask 022, which left it 0644 in a 0755 folder.
const mode = (path: string) => statSync(path).mode & 0o777;

describe('who may read the SQLite store', () => {
  let root = '';
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0o022);
    root = mkdtempSync(join(tmpdir(), 'leadlift-modes-'));
    chmodSync(root, 0o755);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the store folder 0700 and leadlift.db, -wal and -shm 0600', async () => {
    const home = join(root, 'not', 'yet', 'there');
    const store = await openStore({ home, databaseUrl: '' });
    try {
      await store.commitPage('hubspot', 'contacts', leads(3), { after: '3' });
      for (const dir of [join(root, 'not'), join(root, 'not', 'yet'), home]) expect(mode(dir), dir).toBe(0o700);
      for (const file of ['leadlift.db', 'leadlift.db-wal', 'leadlift.db-shm']) expect(mode(join(home, file)), file).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('leaves the mode of a folder the user pointed LEADLIFT_HOME at', async () => {
    const store = await openStore({ home: root, databaseUrl: '' });
    await store.close();
    expect(mode(root)).toBe(0o755);
    expect(mode(join(root, 'leadlift.db'))).toBe(0o600);
  });

  it('takes the world bits off a store file an older version left readable by everyone, and keeps the group', async () => {
    const first = await openStore({ home: root, databaseUrl: '' });
    await first.close();
    for (const file of ['leadlift.db', 'leadlift.db-shm']) {
      writeFileSync(join(root, file), '', { flag: 'a' });
      chmodSync(join(root, file), 0o644);
    }
    const again = await openStore({ home: root, databaseUrl: '' });
    try {
      await again.commitPage('hubspot', 'contacts', leads(2), { after: '2' });
      expect(mode(join(root, 'leadlift.db'))).toBe(0o640);
      expect(mode(join(root, 'leadlift.db-shm'))).toBe(0o640);
      expect(mode(join(root, 'leadlift.db-wal'))).toBe(0o640);
      expect(await again.records.count('hubspot', 'contacts')).toBe(2);
    } finally {
      await again.close();
    }
  });

  it('creates the sandbox home 0700 when the sandbox lock makes it, and leaves an existing one', () => {
    const home = join(root, 'home');
    const lock = acquireSandboxLock(home, 'test');
    lock.release();
    expect(mode(home)).toBe(0o700);
    const existing = join(root, 'existing');
    mkdirSync(existing, { mode: 0o755 });
    acquireSandboxLock(existing, 'test').release();
    expect(mode(existing)).toBe(0o755);
  });
});

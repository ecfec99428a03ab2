import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { connectFromEnv } from '../../src/jobs/connectors-from-env.js';
import { acquireSandboxLock, removeStale, SandboxInUseError } from '../../src/jobs/sandbox-lock.js';
import { seedLeads } from '../sandbox/helpers.js';
import { savedSandboxHome } from '../sandbox/saved-sandbox-home.js';

let home: string;
const env = () => ({ LEADLIFT_HOME: home });
const lockFile = () => join(home, 'sandbox.lock');

/** A small saved sandbox in LEADLIFT_HOME, so connectFromEnv loads it instead of the 41,188-lead demo seed. */
async function savedSandbox(): Promise<void> {
  await savedSandboxHome(home, { crm: 'hubspot', seed: seedLeads(30) });
}

function writeLock(pid: number): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(lockFile(), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'leadlift start', nonce: 'other' }));
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-lock-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('one process at a time owns the local sandbox folder', () => {
  it('refuses a second connectFromEnv while the first is open; the first store stays intact and usable', async () => {
    await savedSandbox();
    const first = await connectFromEnv({ crm: 'hubspot', env: env() });
    try {
      await first.store.settings.set('tiers', [{ name: 'Hot', min: 70 }], 'manager');
      // `start` asks for a fresh sandbox: exactly what deleted the running one's store before.
      const second = connectFromEnv({ crm: 'hubspot', env: env(), freshSandbox: true, persistSandbox: false });
      await expect(second).rejects.toThrowError(SandboxInUseError);
      await expect(second).rejects.toThrowError(new RegExp(`already running against the local sandbox \\(pid ${process.pid}, .*set LEADLIFT_HOME to another folder`));
      expect(existsSync(first.store.location)).toBe(true);
      expect(existsSync(join(home, 'sandbox', 'state.json'))).toBe(true);
      expect((await first.store.settings.get('tiers'))?.value).toEqual([{ name: 'Hot', min: 70 }]);
    } finally {
      await first.close();
    }
    expect(existsSync(lockFile())).toBe(false);

    const again = await connectFromEnv({ crm: 'hubspot', env: env() });
    try {
      expect((await again.store.settings.get('tiers'))?.value).toEqual([{ name: 'Hot', min: 70 }]);
    } finally {
      await again.close();
    }
  });

  it('takes over a lock whose process is gone', async () => {
    await savedSandbox();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeLock(Number(gone.stdout));
    const connections = await connectFromEnv({ crm: 'hubspot', env: env() });
    try {
      expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    } finally {
      await connections.close();
    }
    expect(existsSync(lockFile())).toBe(false);
  });

  it('leaves the folder untouched when another live process holds it, even with no state file to keep', async () => {
    // The reviewer's case: `start` keeps no state.json, so `run` used to delete its store.
    mkdirSync(join(home, 'sandbox'), { recursive: true });
    writeFileSync(join(home, 'sandbox', 'leadlift.db'), 'the running server’s store');
    writeLock(process.ppid);
    await expect(connectFromEnv({ crm: 'hubspot', env: env() })).rejects.toThrowError(new RegExp(`pid ${process.ppid}, \`leadlift start\`, started 2026-01-01`));
    expect(readFileSync(join(home, 'sandbox', 'leadlift.db'), 'utf8')).toBe('the running server’s store');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.ppid);
  });

  it('two processes that found the same stale lock: the later one does not remove the lock the first just took', () => {
    const deadPid = 999_999_999; // above any pid_max: no such process
    writeLock(deadPid);
    const seenByBoth = JSON.parse(readFileSync(lockFile(), 'utf8'));
    // The first takes the folder over (the dead pid is stale)...
    const first = acquireSandboxLock(home, 'leadlift run');
    const taken = readFileSync(lockFile(), 'utf8');
    try {
      // ...then the second, acting on the stale lock it read before, tries to remove it.
      expect(() => removeStale(lockFile(), seenByBoth, 'second')).toThrowError(SandboxInUseError);
      expect(readFileSync(lockFile(), 'utf8')).toBe(taken);
      // Removing what it really read still works (nothing else holds it): the lock goes.
      first.release();
      writeLock(deadPid);
      removeStale(lockFile(), JSON.parse(readFileSync(lockFile(), 'utf8')), 'second');
      expect(existsSync(lockFile())).toBe(false);
    } finally {
      first.release();
    }
  });
});

describe('a LEADLIFT_HOME the local sandbox cannot use', () => {
  it('that is a file: exit 2 naming LEADLIFT_HOME, not an unexpected failure, and the file is untouched', () => {
    const file = join(home, 'leadlift.json');
    writeFileSync(file, '{}');
    for (const path of [file, join(file, 'sub')]) {
      let err: unknown;
      try {
        acquireSandboxLock(path, 'leadlift run');
      } catch (caught) {
        err = caught;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).exitCode).toBe(2);
      expect((err as Error).message).toBe(
        `LEADLIFT_HOME=${path} is not a folder (a file of that name, or of a folder in its path, is in the way): set LEADLIFT_HOME to a folder, which leadlift creates when it is missing. Nothing was changed.`,
      );
    }
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });

  it('that this user cannot write: names the lock file and LEADLIFT_HOME', (ctx) => {
    // Root writes a 0500 folder anyway, so as root the folder is made immutable instead.
    const asRoot = process.getuid?.() === 0;
    const undo = () => (asRoot ? spawnSync('chattr', ['-i', home]) : chmodSync(home, 0o700));
    const made = asRoot ? spawnSync('chattr', ['+i', home]).status === 0 : (chmodSync(home, 0o500), true);
    if (!made) ctx.skip();
    try {
      expect(() => acquireSandboxLock(home, 'leadlift run')).toThrowError(
        new InputError(`Cannot write the local sandbox's lock ${lockFile()}: no permission to write there (folder ${home}). Give LEADLIFT_HOME a folder you can write to, or ask for write access.`),
      );
    } finally {
      undo();
    }
  });
});

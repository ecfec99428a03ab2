import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../domain/errors.js';
import { fileWriteError } from '../domain/file-write-error.js';
import { createPrivateFolder } from '../store/private-files.js';

/** Another live process owns the local sandbox folder; nothing in it was touched. */
export class SandboxInUseError extends InputError {}

export interface SandboxLock {
  file: string;
  /** Gives the folder up (only if the lock is still this process's own). */
  release(): void;
}

const lockContent = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string(), command: z.string(), nonce: z.string() });
type LockContent = z.infer<typeof lockContent>;

/** Lock files this process holds: one with our own pid that is not in here is a previous life's (a container restart reuses pids). */
const heldHere = new Set<string>();

/**
 * Makes this process the only owner of LEADLIFT_HOME/sandbox (the sandbox's state and the store
 * beside it) until release(). Taken before anything in the folder is deleted, so a second
 * `start`/`run`/`serve` cannot wipe the store of one still running. A lock whose process is gone
 * (killed, crashed) is taken over; the liveness check is the only way to tell, since a crash
 * leaves the file behind.
 */
export function acquireSandboxLock(home: string, command = commandLine()): SandboxLock {
  const file = join(home, 'sandbox.lock');
  const mine: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command, nonce: randomUUID() };
  // Written whole under another name, then linked: link() fails if the lock exists, and a reader never sees half a file.
  const tmp = `${file}.${process.pid}.${mine.nonce}.tmp`;
  writeLockFile(home, file, tmp, `${JSON.stringify(mine)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readLock(file);
      if (attempt > 0 || (holder && !isStale(holder, file))) throw inUse(holder, file);
      // Its process is gone, or the file is not a lock we can honour: take it over, once.
      removeStale(file, holder, mine.nonce);
    }
  } finally {
    unlinkQuietly(tmp);
  }
  heldHere.add(file);
  const releaseOnExit = () => release();
  process.once('exit', releaseOnExit);
  function release(): void {
    process.off('exit', releaseOnExit);
    if (!heldHere.delete(file)) return;
    if (readLock(file)?.nonce === mine.nonce) unlinkQuietly(file);
  }
  return { file, release };
}

/**
 * Creates LEADLIFT_HOME if needed and writes the lock's content to `tmp`. This is the first write
 * `run`/`serve`/`start` make on the local sandbox, so a LEADLIFT_HOME that is a file or that this
 * user cannot write fails here: said naming LEADLIFT_HOME (exit 2), not as an unexpected failure
 * with a stack trace. Nothing in the folder was changed yet.
 */
function writeLockFile(home: string, file: string, tmp: string, content: string): void {
  try {
    // LEADLIFT_HOME, when this creates it, holds the sandbox's store: private (private-files.ts).
    createPrivateFolder(home);
    writeFileSync(tmp, content);
  } catch (err) {
    // mkdir fails EEXIST when the path is a file, ENOTDIR when a folder above it is one.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new InputError(
        `LEADLIFT_HOME=${home} is not a folder (a file of that name, or of a folder in its path, is in the way): set LEADLIFT_HOME to a folder, which leadlift creates when it is missing. Nothing was changed.`,
        { cause: err },
      );
    }
    throw fileWriteError(file, err, 'LEADLIFT_HOME', `the local sandbox's lock ${file}`);
  }
}

/**
 * Removes the stale lock `seen`, and only it. Two processes may find the same stale lock: had
 * both unlinked it, the slower would delete the lock the faster had just linked, and both would
 * own the folder. A rename is atomic, so one of them moves the file aside; that one checks it
 * moved what it read, and gives back a fresh lock it moved by mistake (then the folder is in use).
 */
export function removeStale(file: string, seen: LockContent | null, nonce: string): void {
  const aside = `${file}.${nonce}.stale`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another process took it aside first
    throw err;
  }
  const moved = readLock(aside);
  if (moved === null || seen === null || moved.nonce === seen.nonce) {
    unlinkQuietly(aside);
    return;
  }
  try {
    linkSync(aside, file);
  } finally {
    unlinkQuietly(aside);
  }
  throw inUse(moved, file);
}

function isStale(holder: LockContent, file: string): boolean {
  // Another machine's process (a shared folder) cannot be checked from here.
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(file);
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function inUse(holder: LockContent | null, file: string): SandboxInUseError {
  const who = holder ? `pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, \`${holder.command}\`, started ${holder.startedAt}` : `lock ${file}`;
  return new SandboxInUseError(
    `another leadlift is already running against the local sandbox (${who}): stop it, or set LEADLIFT_HOME to another folder. Nothing was changed. If no such process is running, delete ${file}.`,
  );
}

function readLock(file: string): LockContent | null {
  try {
    const parsed = lockContent.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function commandLine(): string {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  return ['leadlift', ...args.slice(0, 1)].join(' ');
}

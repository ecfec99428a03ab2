import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { jsonCutShort, jsonSyntaxError } from '../../src/config/json-syntax-error.js';
import { InputError } from '../../src/domain/errors.js';
import type { PersistedState, SandboxRuntime } from './runtime.js';
import { SandboxStateSaveError } from './state-save-error.js';

const outcome = z.enum(['won', 'lost']);
const persistedState = z.object({
  format: z.literal('leadlift-sandbox-state'),
  version: z.literal(1),
  savedAt: z.string(),
  clockOffset: z.number(),
  hidden: z.object({ hubspot: z.array(z.tuple([z.string(), outcome])), salesforce: z.array(z.tuple([z.string(), outcome])) }),
  parts: z.record(z.unknown()),
});

/** What a sandbox whose state file cannot be used does: the file is the sandbox's, not the user's to mend. */
const START_FRESH = 'move it away (or delete it) to start from a fresh sandbox';

/** The saved state, or null when the file does not exist yet (first start). */
export async function readStateFile(file: string): Promise<PersistedState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`Cannot read sandbox state file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Saves are written whole and renamed into place, so a file that stops early was cut on the way.
    if (jsonCutShort(text)) {
      throw new InputError(`Sandbox state file ${file} is cut short: its JSON stops before its end (a copy that did not finish, or a full disk?); ${START_FRESH}.`);
    }
    throw new InputError(`Sandbox state file ${file} is not valid JSON: ${jsonSyntaxError(text) ?? 'JSON cannot read it'}; ${START_FRESH}.`);
  }
  const parsed = persistedState.safeParse(json);
  if (!parsed.success) {
    throw new InputError(`Sandbox state file ${file} is not a leadlift sandbox state (${parsed.error.issues[0]?.message}); ${START_FRESH}.`);
  }
  return parsed.data as PersistedState;
}

export interface StateSaver {
  /** Save soon; calls within the debounce window collapse into one write. */
  schedule(): void;
  /**
   * Write now; resolves once a write that began after this call has finished (it waits for a
   * write already under way). `final` words a failure for a sandbox that is stopping.
   */
  flush(options?: { final?: boolean }): Promise<void>;
}

/**
 * Writes the state to a temporary file and renames it over the old one, so a crash mid-write
 * never leaves a half-written state behind.
 *
 * Writes run one at a time on a promise chain: two writes sharing the temporary file made the
 * second rename fail, and a rejected write kept in the chain failed every save after it. Flushes
 * that arrive while a write runs share the one write queued behind it, which dumps the state
 * when it starts and so carries every change made until then.
 */
export function createStateSaver(runtime: SandboxRuntime, file: string, debounceMs = 500): StateSaver {
  let timer: NodeJS.Timeout | null = null;
  let dirty = false;
  /** Write requests (schedule calls) whose effect is not yet in the file. */
  let unsaved = 0;
  let lastSaved: string | null = null;
  const startedAt = new Date().toISOString();
  /** Settles when the last queued write has; never rejects, so one failure cannot stop later saves. */
  let chain: Promise<void> = Promise.resolve();
  /** The queued write that has not started yet, shared by every flush until it starts. */
  let queued: { done: Promise<void>; final: boolean } | null = null;

  const write = async (final: boolean) => {
    dirty = false;
    const covered = unsaved;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(runtime.dumpState()));
      await rename(tmp, file);
    } catch (err) {
      const since = lastSaved ? `the last save at ${lastSaved}` : `the sandbox started at ${startedAt}`;
      throw new SandboxStateSaveError(file, { writes: unsaved, since, final }, err);
    }
    unsaved -= covered;
    lastSaved = new Date().toISOString();
  };
  const flush = (options: { final?: boolean } = {}) => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queued) {
      queued.final ||= options.final === true;
      return queued.done;
    }
    const next = { done: Promise.resolve(), final: options.final === true };
    next.done = chain.then(() => {
      queued = null;
      return write(next.final);
    });
    queued = next;
    chain = next.done.catch(() => undefined);
    return next.done;
  };
  return {
    schedule() {
      dirty = true;
      unsaved += 1;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (dirty) flush().catch((err) => process.stderr.write(`sandbox: ${(err as Error).message}\n`));
      }, debounceMs);
      timer.unref();
    },
    flush,
  };
}

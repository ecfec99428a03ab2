import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../../src/domain/errors.js';
import type { PersistedState, SandboxRuntime } from './runtime.js';

const outcome = z.enum(['won', 'lost']);
const persistedState = z.object({
  format: z.literal('leadlift-sandbox-state'),
  version: z.literal(1),
  savedAt: z.string(),
  clockOffset: z.number(),
  hidden: z.object({ hubspot: z.array(z.tuple([z.string(), outcome])), salesforce: z.array(z.tuple([z.string(), outcome])) }),
  parts: z.record(z.unknown()),
});

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
  } catch (err) {
    throw new InputError(`Sandbox state file ${file} is not valid JSON (${(err as Error).message}); move it away to start fresh.`);
  }
  const parsed = persistedState.safeParse(json);
  if (!parsed.success) {
    throw new InputError(`Sandbox state file ${file} is not a leadlift sandbox state (${parsed.error.issues[0]?.message}); move it away to start fresh.`);
  }
  return parsed.data as PersistedState;
}

export interface StateSaver {
  /** Save soon; calls within the debounce window collapse into one write. */
  schedule(): void;
  /** Write now (waits for a write already under way). */
  flush(): Promise<void>;
}

/**
 * Writes the state to a temporary file and renames it over the old one, so a crash mid-write
 * never leaves a half-written state behind.
 */
export function createStateSaver(runtime: SandboxRuntime, file: string, debounceMs = 500): StateSaver {
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  const write = async () => {
    dirty = false;
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(runtime.dumpState()));
    await rename(tmp, file);
  };
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    await writing;
    writing = write();
    await writing;
  };
  return {
    schedule() {
      dirty = true;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (dirty) flush().catch((err) => process.stderr.write(`sandbox: could not save state to ${file}: ${(err as Error).message}\n`));
      }, debounceMs);
      timer.unref();
    },
    flush,
  };
}

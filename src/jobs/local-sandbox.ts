import { existsSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeedLead } from '../../connectors/sandbox/context.js';
import { loadSeedFile } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox, type SandboxCrm } from '../../connectors/sandbox/server.js';
import { LeadliftError } from '../domain/errors.js';

/**
 * The local sandbox the loop talks to when no CRM is configured (`npm start`, and `run`/`serve`
 * without HubSpot settings): seeded with the bank-marketing history, each row a lead.
 */

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The full data set next to the repo, else the 2,060-row sample shipped in config/sample. */
export function demoSeedFile(): { file: string; sample: boolean } {
  const full = resolve(repoRoot, '../shared/data/bank-marketing/bank-additional-full.csv');
  if (existsSync(full)) return { file: full, sample: false };
  return { file: resolve(repoRoot, 'config/sample/bank-marketing-sample.csv'), sample: true };
}

/**
 * The demo seed's file and its number of leads (data rows), counted from the lines before the
 * slow load, so the wait can be said before it starts. The bank CSV has no quoted line breaks.
 */
export function demoSeedSize(): { file: string; leads: number } {
  const { file } = demoSeedFile();
  // Newline bytes, not decoded and split lines: this runs on the main thread before start-up's
  // first line, and only the count is needed.
  const bytes = readFileSync(file);
  let lines = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines += 1;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines += 1; // a last line without its newline
  return { file, leads: Math.max(0, lines - 1) };
}

/** Column -> the property/field label the demo portal shows (see config/sample/SOURCE.md). */
export function demoSeedLabels(): Record<string, string> {
  return JSON.parse(readFileSync(resolve(repoRoot, 'config/sample/bank-marketing-labels.json'), 'utf8')) as Record<string, string>;
}

/**
 * Column -> stored value -> the option label the demo portal's dropdown shows (see
 * config/sample/SOURCE.md): those columns are seeded as dropdowns, so reasons read the CRM's
 * words ("Last contact month is October") as they would in any portal, not the file's codes.
 */
export function demoSeedValueLabels(): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(resolve(repoRoot, 'config/sample/bank-marketing-value-labels.json'), 'utf8')) as Record<string, Record<string, string>>;
}

/** Filled in only after the call, with the outcome: never seeded, so no part of the app can learn from it. */
const AFTER_OUTCOME_COLUMNS = ['duration'];

export async function loadDemoSeed(options: { file?: string; every?: number; openFraction?: number; now?: number } = {}): Promise<SeedLead[]> {
  const file = options.file ?? demoSeedFile().file;
  const leads = await loadSeedFile(file, { label: 'y', positive: 'yes', sep: ';', openFraction: 0 }, options.now ?? Date.now());
  const every = options.every ?? 1;
  const kept = leads.filter((_, i) => i % every === 0);
  // Re-cut the open part after thinning, so the newest share stays open whatever `every` is.
  const openFrom = kept.length - Math.round(kept.length * (options.openFraction ?? 0.2));
  return kept.map((lead, index) => {
    const values = { ...lead.values };
    for (const column of AFTER_OUTCOME_COLUMNS) delete values[column];
    const open = index >= openFrom;
    return { ...lead, index, values, open, closedAt: open ? null : lead.closedAt };
  });
}

/**
 * The sandbox as a local portal: its own allowance is generous (it runs on this machine), and the
 * connector is told the same numbers so a first sync of 40,000 leads takes seconds, not minutes.
 */
export const LOCAL_SANDBOX_LIMITS = { hubspotRateLimit: 2000, hubspotSearchRateLimit: 50 } as const;

export interface LocalSandboxOptions {
  crm?: SandboxCrm;
  port?: number;
  /** Keeps the sandbox's contacts (and the scores written to them) across restarts. */
  stateFile?: string;
  seed?: SeedLead[];
  /** Labels of the seeded properties/fields; the demo's own when absent. */
  seedLabels?: Record<string, string>;
  /** Option labels of the seeded dropdowns; the demo's own when absent. */
  seedValueLabels?: Record<string, Record<string, string>>;
}

/** What the local sandbox tells its caller as it runs (functions, so not part of a worker's options). */
export interface LocalSandboxHooks {
  /** The demo seed is about to be read: said first, as loading the full seed takes half a minute. */
  onSeeding?: () => void;
}

export async function startLocalSandbox(options: LocalSandboxOptions = {}, hooks: LocalSandboxHooks = {}): Promise<RunningSandbox> {
  // Saving 40,000 contacts takes a second or two of CPU, so saves are batched (searches count as
  // changes too); a crash may lose the last half minute of writes to the local sandbox.
  // A fixed port that is taken is an error (PortInUseError upstream), never a quiet move to another
  // port: the printed URLs and the sandbox's webhooks would point at whatever holds it.
  // The demo seed is read only when needed: no state file yet, or a CRM it does not hold yet.
  return startSandbox({ port: options.port ?? 0, crm: options.crm ?? 'both', seed: options.seed, loadSeed: () => loadDemoSeed(), onSeeding: hooks.onSeeding, seedLabels: options.seedLabels ?? demoSeedLabels(), seedValueLabels: options.seedValueLabels ?? demoSeedValueLabels(), stateFile: options.stateFile, saveDebounceMs: 30_000, ...LOCAL_SANDBOX_LIMITS });
}

/** What the loop and the CLI need from a local sandbox, wherever it runs. */
export interface LocalSandbox {
  url: string;
  token: string;
  /** Open leads (their outcomes hidden from the API) and one of them, for the "where to look" lines. */
  openLeads: number;
  exampleLeadId: string | null;
  /** Rejects with a LocalSandboxSaveError when the final save failed (the sandbox is closed either way). */
  close(): Promise<void>;
}

/** What the worker says: seeding started, ready, or closed (with the final save's failure, if any). */
type WorkerMessage =
  | { type: 'seeding' }
  | { type: 'ready'; url: string; token: string; openLeads: number; exampleLeadId: string | null }
  | { type: 'closed'; saveError: string | null };

/**
 * The local sandbox's final save failed as it closed: a restart from its state file lacks what
 * the last writes changed. The command that used it did its work but did not end clean (exit 1).
 */
export class LocalSandboxSaveError extends LeadliftError {}

/**
 * Starts the local sandbox in a worker thread; `seed` is read there too (it is large). Its
 * close() rejects with a LocalSandboxSaveError when the final save failed, after the worker ended.
 */
export function startLocalSandboxInWorker(options: Omit<LocalSandboxOptions, 'seed'> = {}, hooks: LocalSandboxHooks = {}): Promise<LocalSandbox> {
  const worker = new Worker(new URL('./local-sandbox-worker.mjs', import.meta.url), { workerData: options });
  let saveError: string | null = null;
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => reject(err);
    worker.once('error', failed);
    worker.once('exit', (code) => reject(new Error(`the local sandbox stopped while starting (exit code ${code})`)));
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'seeding') return hooks.onSeeding?.();
      if (message.type === 'closed') return void (saveError = message.saveError);
      const ready = message;
      worker.removeAllListeners('exit');
      worker.off('error', failed);
      worker.on('error', (err) => process.stderr.write(`leadlift: the local sandbox failed: ${err.message}\n`));
      resolve({
        url: ready.url,
        token: ready.token,
        openLeads: ready.openLeads,
        exampleLeadId: ready.exampleLeadId,
        close: () =>
          new Promise<void>((done, fail) => {
            worker.once('exit', () => (saveError ? fail(new LocalSandboxSaveError(saveError)) : done()));
            worker.postMessage('close');
          }),
      });
    });
  });
}

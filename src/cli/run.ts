import { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import { CycleSkippedError } from '../jobs/cycle-lock-errors.js';
import { loadManifest } from '../domain/manifest.js';
import { logSettingsFromEnv } from '../server/log.js';
import { connectFromEnv, type LoopConnections } from '../jobs/connectors-from-env.js';
import { configTiersNote } from '../jobs/config-tiers-note.js';
import { StopRequestedError } from '../jobs/stop-request.js';
import { runCycle, type CycleSummary } from '../jobs/cycle.js';
import type { NoteLevel } from '../jobs/deps.js';
import { cycleTable } from './cycle-table.js';
import { loopProgress, type LoopProgress } from './loop-progress.js';
import type { Connector, CrmName } from '../../connectors/types.js';
import { stopOnSignal } from './stop-on-signal.js';
import { stoppedBetweenCrms } from './stopped-between-crms.js';
import { scrubbedFailure } from './unexpected-failure.js';
import { sandboxPortFromEnv } from './port-settings.js';

const flags = z.object({
  crm: z.enum(['hubspot', 'salesforce']).optional(),
  forceTrain: z.boolean().optional(),
  json: z.boolean().optional(),
});

/** The action of `leadlift run` (flags in run-command.ts): one cycle for each CRM. */
export async function runCommand(raw: Record<string, unknown>): Promise<void> {
  const parsed = flags.safeParse(raw);
  if (!parsed.success) throw new InputError(`leadlift run --crm: must be hubspot or salesforce (got "${String(raw.crm)}")`);
  const f = parsed.data;
  const config = loadConfig();
  // run writes plain lines, not serve's log, but a bad LOG_LEVEL in the shared .env is refused here too.
  logSettingsFromEnv();
  const manifest = loadManifest();
  const stop = stopOnSignal();
  try {
    // LEADLIFT_SANDBOX_PORT moves the local sandbox of a run without CRM settings, as it does serve's (unset: any free port).
    const connections = await connectFromEnv({ crm: f.crm, sandboxPort: sandboxPortFromEnv(0) });
    try {
      if (connections.sandbox) process.stderr.write(`No CRM configured: using a local sandbox at ${connections.sandbox.url} (store ${connections.store.location}).\n`);
      const print = (summaries: CycleSummary[]) =>
        process.stdout.write(f.json ? `${JSON.stringify(summaries, null, 2)}\n` : `${cycleTable(summaries)}\n`);
      print(await runAll(connections, config, manifest, f.forceTrain ?? false, stop.signal, undefined, { onEndedEarly: print }));
    } catch (err) {
      await connections.close({ failing: true });
      throw scrubbedFailure(err, connections);
    }
    // After a cycle that worked, a sandbox that could not save what it wrote ends the run with exit 1.
    await connections.close();
  } finally {
    stop.dispose();
  }
}

/** Where a cycle's progress and notes go: bars and lines on stderr by default; serve's log (cycle-log.ts) there. */
export interface CycleOutput {
  progress(crm: CrmName, prefix: string): LoopProgress;
  note(text: string): void;
  /** Told the cycle's run id once it is recorded. */
  onRun?(crm: CrmName, runId: string): void;
}

const terminal: CycleOutput = {
  progress: (_crm, prefix) => loopProgress(prefix),
  note: (text) => process.stderr.write(`${text}\n`),
};

/** How runAll tells of a CRM's error and of a stop, when the caller wants more than a throw. */
export interface RunAllHooks {
  /**
   * A CRM's cycle failed or was skipped (crm undefined: the tiers note before the cycles): given
   * this, the next CRM's cycle still runs (serve's first cycles); without it, the error ends the run.
   * A stop is never handed here.
   */
  onCrmError?: (err: unknown, crm?: CrmName) => void;
  /** Given the summaries of the CRMs whose cycle finished, before a stop or an error ends the run. */
  onEndedEarly?: (summaries: CycleSummary[]) => void;
}

export async function runAll(
  connections: LoopConnections,
  config: ReturnType<typeof loadConfig>,
  manifest: ReturnType<typeof loadManifest>,
  forceTrain: boolean,
  stop?: AbortSignal,
  output: CycleOutput = terminal,
  hooks: RunAllHooks = {},
): Promise<CycleSummary[]> {
  const run: CycleRun = { connections, config, manifest, forceTrain, stop, output };
  const summaries: CycleSummary[] = [];
  const stopped = () => stop?.aborted === true;
  const failed = (err: unknown, crm?: CrmName) => {
    if (!hooks.onCrmError) throw err;
    // Whatever a cycle cut short by the stop threw, the stop is what ends the run.
    if (stopped()) throw err instanceof StopRequestedError ? err : stop!.reason;
    hooks.onCrmError(err, crm);
  };
  try {
    await sayTiersNote(run).catch((err: unknown) => failed(err));
    const connectors = connections.connectors;
    for (const [i, connector] of connectors.entries()) {
      // A stop between two CRMs' cycles starts no further one, and says which ones did run.
      if (stop?.aborted) {
        throw i === 0 ? stop.reason : stoppedBetweenCrms(stop, summaries.map((s) => s.crm), connectors.slice(i).map((c) => c.crm));
      }
      try {
        summaries.push(await runCrmCycle(run, connector));
      } catch (err) {
        failed(err, connector.crm);
      }
    }
  } catch (err) {
    // The CRMs whose cycle finished before the stop (or the failure) wrote their scores: say so.
    if (summaries.length > 0) hooks.onEndedEarly?.(summaries);
    throw err;
  }
  return summaries;
}

/** What each CRM's cycle of a run shares. */
export interface CycleRun {
  connections: LoopConnections;
  config: ReturnType<typeof loadConfig>;
  manifest: ReturnType<typeof loadManifest>;
  forceTrain: boolean;
  stop?: AbortSignal;
  output?: CycleOutput;
}

/** Once per run, before the cycles: config tiers that differ from the stored ones. */
export async function sayTiersNote(run: CycleRun): Promise<void> {
  const tiersNote = await configTiersNote(run.connections.store, run.config);
  if (tiersNote) (run.output ?? terminal).note(tiersNote);
}

/** One CRM's cycle, its progress and notes told to the run's output; a cycle another process holds the lock of throws CycleSkippedError. */
export async function runCrmCycle(run: CycleRun, connector: Connector): Promise<CycleSummary> {
  const { connections, config, manifest, forceTrain, stop } = run;
  const output = run.output ?? terminal;
  const bars = output.progress(connector.crm, connections.connectors.length > 1 ? `${connector.crm}: ` : '');
  const log = (message: string, level?: NoteLevel) => bars.note(`${connector.crm}: ${message}`, level);
  const onRun = output.onRun ? (runId: string) => output.onRun!(connector.crm, runId) : undefined;
  try {
    const outcome = await runCycle({ store: connections.store, config, manifest, connector, onProgress: bars.listener, log, onRun }, { forceTrain, stop });
    if (!outcome.ran) throw new CycleSkippedError(connector.crm, outcome.holder, `${connector.crm}: ${outcome.reason}. Try again when it has finished.`);
    bars.endCycle(outcome.summary);
    for (const failure of outcome.summary.push.failures) log(`lead ${failure.leadId} not written: ${failure.message}`, 'warn');
    return outcome.summary;
  } catch (err) {
    bars.fail(err instanceof StopRequestedError ? 'stopped' : 'failed');
    throw err;
  }
}

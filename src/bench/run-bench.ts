import type { BenchJob, BenchResult } from './bench-job.js';
import { evaluationJob, fastJobs, pipelineJobs, referenceSizes, syntheticSmall, type BenchPlanOptions, type JobTarget, type PlannedJob } from './bench-plan.js';
import { currentLoad, describeMachine, type MachineInfo } from './machine.js';
import { runJob, type JobOutcome } from './run-job.js';
import { meetsTarget } from './target-check.js';

export interface BenchRow {
  label: string;
  job: BenchJob;
  result: BenchResult | null;
  /** Why there is no result (stopped at the time cap, failed). */
  note?: string;
  /** Wall seconds of the whole child process (start-up, data, work). */
  jobSeconds: number;
  target: JobTarget | null;
  targetMet: boolean | null;
}

export interface BenchReport {
  machine: MachineInfo;
  rows: BenchRow[];
  /** What the bench chose not to run, and why. */
  notes: string[];
}

export interface RunBenchOptions extends BenchPlanOptions {
  /** Time cap per ml-random-forest run, seconds. */
  referenceCapSeconds: number;
  /** Stop growing ml-random-forest sizes once a run takes longer than this, seconds. */
  referenceGrowLimitSeconds: number;
  onJob?: (label: string) => void;
}

/** Every job in its own child process, one after another so they do not share the cores. */
export async function runBench(o: RunBenchOptions): Promise<BenchReport> {
  const machine = describeMachine();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const run = async (planned: PlannedJob, detail: string) => {
    o.onJob?.(`${planned.label} (${detail})`);
    const outcome = await runJob(planned.job, planned.capSeconds);
    rows.push(toRow(planned, outcome));
    return outcome;
  };
  for (const planned of fastJobs(o)) await run(planned, `fast, ${planned.job.kind === 'synthetic' ? `${planned.job.rows} rows, ` : ''}${threadsOf(planned.job)} threads`);
  const sizes = referenceSizes(o);
  for (const [i, size] of sizes.entries()) {
    const planned = syntheticSmall('ml-random-forest', size, 1, o.referenceCapSeconds);
    const outcome = await run(planned, `ml-random-forest, ${size} rows`);
    const seconds = outcome.ok && outcome.result.kind === 'forest' ? outcome.result.trainSeconds : outcome.seconds;
    const skipped = sizes.slice(i + 1);
    if (skipped.length && (!outcome.ok || seconds > o.referenceGrowLimitSeconds)) {
      notes.push(
        `ml-random-forest at ${skipped.join(', ')} rows not run: ${size} rows ${outcome.ok ? `took ${seconds.toFixed(1)} s to train (over ${o.referenceGrowLimitSeconds} s)` : outcome.reason}.`,
      );
      break;
    }
  }
  if (!o.reference || o.quick) notes.push(`ml-random-forest rows not run (${o.quick ? '--quick' : '--no-reference'}).`);
  if (!o.postgres) notes.push('PostgreSQL store row not run: set LEADLIFT_TEST_DATABASE_URL or DATABASE_URL.');
  const evaluation = evaluationJob(o);
  if (evaluation) await run(evaluation, 'shipped model and baseline');
  for (const planned of pipelineJobs(o)) await run(planned, planned.job.kind);
  machine.loadAtEnd = currentLoad();
  return { machine, rows, notes };
}

function threadsOf(job: BenchJob): number {
  return job.kind === 'bank' || job.kind === 'synthetic' ? job.threads : 1;
}

function toRow(planned: PlannedJob, outcome: JobOutcome): BenchRow {
  const base = { label: planned.label, job: planned.job, target: planned.target, jobSeconds: outcome.seconds };
  if (!outcome.ok) return { ...base, result: null, note: outcome.reason, targetMet: meetsTarget(planned.target, null) };
  return { ...base, result: outcome.result, targetMet: meetsTarget(planned.target, outcome.result) };
}

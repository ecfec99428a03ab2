import type { EvaluationReport } from '../model/evaluation/report.js';
import type { BenchJob, BenchResult } from './bench-job.js';
import { fastJobs, referenceSizes, syntheticSmall, type BenchPlanOptions, type JobTarget, type PlannedJob } from './bench-plan.js';
import { currentLoad, describeMachine, type MachineInfo } from './machine.js';
import { runJob } from './run-job.js';

export interface BenchRow {
  label: string;
  job: BenchJob;
  result: BenchResult | null;
  /** Why there is no result (stopped at the time cap, failed). */
  note?: string;
  target: JobTarget | null;
  targetMet: boolean | null;
}

export interface BenchReport {
  machine: MachineInfo;
  rows: BenchRow[];
  evaluation: EvaluationReport | null;
  evaluationNote?: string;
}

export interface RunBenchOptions extends BenchPlanOptions {
  /** Time cap per ml-random-forest run, seconds. */
  referenceCapSeconds: number;
  /** Stop growing ml-random-forest sizes once a run takes longer than this, seconds. */
  referenceGrowLimitSeconds: number;
  onJob?: (label: string) => void;
  evaluate?: () => Promise<EvaluationReport | null>;
}

/** Every job in its own child process, one after another so they do not share the cores. */
export async function runBench(o: RunBenchOptions): Promise<BenchReport> {
  const machine = describeMachine();
  const rows: BenchRow[] = [];
  for (const planned of fastJobs(o)) {
    o.onJob?.(`${planned.label} (${planned.job.engine})`);
    rows.push(toRow(planned, await runJob(planned.job, 600)));
  }
  for (const size of referenceSizes(o)) {
    const planned = syntheticSmall('ml-random-forest', size, 1);
    o.onJob?.(`${planned.label} (ml-random-forest, ${size} rows)`);
    const outcome = await runJob(planned.job, o.referenceCapSeconds);
    rows.push(toRow(planned, outcome));
    const seconds = outcome.ok ? outcome.result.trainSeconds : outcome.seconds;
    if (!outcome.ok || seconds > o.referenceGrowLimitSeconds) break;
  }
  let evaluation: EvaluationReport | null = null;
  let evaluationNote: string | undefined;
  if (o.evaluate) {
    o.onJob?.('bank evaluation (time split)');
    try {
      evaluation = await o.evaluate();
    } catch (err) {
      evaluationNote = `evaluation failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  machine.loadAtEnd = currentLoad();
  return { machine, rows, evaluation, evaluationNote };
}

function toRow(planned: PlannedJob, outcome: Awaited<ReturnType<typeof runJob>>): BenchRow {
  if (!outcome.ok) return { label: planned.label, job: planned.job, result: null, note: outcome.reason, target: planned.target, targetMet: planned.target ? false : null };
  const r = outcome.result;
  const t = planned.target;
  const met = t ? (t.maxTrainSeconds === undefined || r.trainSeconds <= t.maxTrainSeconds) && (t.maxPeakRssMb === undefined || r.peakRssMb < t.maxPeakRssMb) : null;
  return { label: planned.label, job: planned.job, result: r, target: t, targetMet: met };
}

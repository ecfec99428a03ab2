import type { EngineName } from '../model/engine.js';
import type { EvaluationReport } from '../model/evaluation/report.js';

/** Forest training and scoring on the bank data or on generated rows. */
export type ForestJob =
  | { kind: 'bank'; engine: EngineName; input: string; threads: number; trees: number }
  | { kind: 'synthetic'; engine: EngineName; rows: number; features: number; threads: number; trees: number };

/**
 * One measured workload; each runs in its own child process so time caps and peak memory are
 * its own. The PostgreSQL URL never travels in a job (it would show in the process list): the
 * child reads it from its inherited environment.
 */
export type BenchJob =
  | ForestJob
  | { kind: 'evaluation'; input: string }
  | { kind: 'ingest'; input: string }
  | { kind: 'store'; backEnd: 'sqlite' | 'postgres'; records: number }
  | { kind: 'sandbox-seed'; input: string; rows: number }
  | { kind: 'hubspot-push'; leads: number; share: number };

export interface ForestResult {
  kind: 'forest';
  trainRows: number;
  features: number;
  trainSeconds: number;
  /** CPU seconds over all threads while training. */
  trainCpuSeconds: number;
  predictRowsPerSecond: number;
  predictRowsPerCpuSecond: number;
  contributionsRowsPerSecond: number;
  contributionsRowsPerCpuSecond: number;
  /** Peak resident memory of the whole child process (data, binning, trees, scoring). */
  peakRssMb: number;
  /** Uncalibrated forest AUC on held-out rows (the bank: the newest 20%). */
  testAuc: number;
}

/** The shipped model's time-split evaluation, with every headline figure for its baseline too. */
export interface EvaluationResult {
  kind: 'evaluation';
  /** What `leadlift evaluate --json` prints for the bank data. */
  report: EvaluationReport;
  /** How the shipped model is built (engine, blend weight, calibration), for the row label. */
  model: string;
  /** The logistic regression alone, on the same rows, uncalibrated. */
  baseline: { name: string; auc: number; prAuc: number; liftTopDecile: number; ece: number; logLoss: number };
  /** 95% bootstrap intervals over the test leads (absent in results of older bench children). */
  intervals?: { model: MetricIntervals; baseline: MetricIntervals };
  peakRssMb: number;
}

export interface MetricIntervals {
  auc: { low: number; high: number };
  liftTopDecile: { low: number; high: number };
}

/** Data and CRM plumbing: how long `items` took and what else the run showed. */
export interface PipelineResult {
  kind: 'pipeline';
  items: number;
  /** What an item is: records, rows, leads. */
  unit: string;
  seconds: number;
  cpuSeconds: number;
  itemsPerSecond: number;
  peakRssMb: number;
  /** Figures shown beside the row (replay seconds, share of the rate limit, ...), by name. */
  details: Record<string, number>;
}

export type BenchResult = ForestResult | EvaluationResult | PipelineResult;

import { carriedForward, exclusionsBeyond } from '../features/carried-exclusions.js';
import type { Exclusion } from '../features/leakage.js';
import { type PreparedTraining, prepareTraining, type PrepareTrainingRequest } from '../features/prepare-training.js';
import type { RawTable } from '../features/raw-table.js';
import { splitByTime } from './evaluation/time-split.js';

export interface PrepareForFitRequest {
  table: RawTable;
  request: Omit<PrepareTrainingRequest, 'input' | 'split' | 'testFraction' | 'carriedExclusions'>;
  /** Explicit train/test rows (time order), or the newest `testFraction` of labelled rows as test. */
  split?: { train: number[]; test: number[] };
  testFraction?: number;
  /** config `calibration.fraction`: fitModel's stage 1 trains on the rest of the training rows. */
  calibrationFraction: number;
  /** Exclusions an earlier step of this training run decided (the measured recipe's). */
  carried?: readonly Exclusion[];
}

/** The training part, with fitModel's stage 1 already prepared from it (so fitModel need not). */
export interface PreparedForFit extends PreparedTraining {
  calibrationStage: { fraction: number; prepared: PreparedTraining };
}

/**
 * The training part prepared with every exclusion the fit will make. fitModel's stage 1 trains
 * on the older part of these rows, and there the leakage guard can see a leak the whole part
 * hides (on the bank data, call duration: single-feature AUC 0.95 on the older part, 0.89 on the
 * training part); its exclusions are folded in here, so the measured model, its refit and the
 * test-lead baseline all go without the same columns.
 * The stage is returned with the part: preparing it is a leakage check, a pipeline fit and two
 * transforms, as dear as the part itself.
 */
export function prepareForFit(req: PrepareForFitRequest): PreparedForFit {
  const base = { ...req.request, input: req.table };
  const part = prepareTraining({ ...base, split: req.split, testFraction: req.testFraction, carriedExclusions: req.carried });
  const stage = prepareCalibrationStage(req.table, req.request, part, req.calibrationFraction);
  const calibrationStage = { fraction: req.calibrationFraction, prepared: stage };
  if (exclusionsBeyond(carriedForward(stage.excluded), part.excluded).length === 0) return { ...part, calibrationStage };
  // The stage still holds for the part prepared again: the guard judges each column on its own
  // rows, so the stage's rows give the same verdicts whether a column comes carried or not.
  const again = prepareTraining({ ...base, split: { train: part.trainRows, test: part.testRows }, carriedExclusions: stage.excluded });
  return { ...again, calibrationStage };
}

/** Stage 1 of fitModel: the older training rows train, the newest `fraction` of them calibrate. */
export function prepareCalibrationStage(
  table: RawTable,
  request: PrepareForFitRequest['request'],
  prepared: PreparedTraining,
  fraction: number,
): PreparedTraining {
  const { older, newer } = splitByTime(prepared.trainRows, fraction, 'calibration');
  return prepareTraining({ ...request, input: table, split: { train: older, test: newer }, carriedExclusions: prepared.excluded });
}

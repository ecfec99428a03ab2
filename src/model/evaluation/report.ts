import type { EvaluationCurves } from './curves.js';

/**
 * The evaluation's result: exactly the object `leadlift evaluate --json` prints (a contract
 * other tools read; keep the key names). Every figure is measured on the newest rows (test),
 * which neither the trees nor the calibrator saw.
 */
export interface EvaluationReport {
  rows: number;
  train: number;
  test: number;
  positiveRateTest: number;
  auc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  ece: number;
  liftTopDecile: number;
  trainSeconds: number;
  scoreSeconds: number;
  engine: string;
  /** Number of model input features after exclusions. */
  features: number;
  excluded: Array<{ column: string; reason: string }>;
  tiers: TierOutcome[];
  baseline: { name: string; auc: number; liftTopDecile: number };
  /** Points for the model page's ROC and calibration charts and its top factors (absent in older models). */
  curves?: EvaluationCurves;
}

export interface TierOutcome {
  tier: string;
  leads: number;
  /** Share of the tier's leads that converted; null when the tier holds no leads. */
  conversionRate: number | null;
}

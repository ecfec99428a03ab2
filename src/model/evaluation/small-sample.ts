import { aucInterval } from './auc-interval.js';
import type { EvaluationReport } from './report.js';

/** Why an evaluation's figures are too thin to act on, and how wide the AUC really is. */
export interface SmallSampleCaveat {
  test: number;
  conversions: number;
  nonConversions: number;
  /** Fewest of either class a test part needs (config loop.minimumHistory.conversions). */
  minimum: number;
  aucInterval: { low: number; high: number };
}

/**
 * A caveat when the test part holds fewer than `minimum` conversions or non-conversions. The
 * threshold is the loop's own: it does not train on fewer than that many conversions, so a
 * test part with fewer cannot vouch for a model either (one converter among 60 leads gave an
 * AUC of 0.864 and an ECE of 0.003 that meant nothing).
 *
 * Works from the report alone, so a saved evaluation can be judged the same way. The counts
 * come from the 4-digit positiveRateTest: exact below 10,000 test leads, within one per 20,000
 * above, which never moves a part across a threshold of tens.
 */
export function smallSampleCaveat(report: Pick<EvaluationReport, 'test' | 'positiveRateTest' | 'auc'>, minimum: number): SmallSampleCaveat | null {
  const conversions = Math.round(report.positiveRateTest * report.test);
  const nonConversions = report.test - conversions;
  if (conversions >= minimum && nonConversions >= minimum) return null;
  return { test: report.test, conversions, nonConversions, minimum, aucInterval: aucInterval(report.auc, conversions, nonConversions) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The caveat in words, for stderr and the top of the human-readable report. */
export function describeCaveat(c: SmallSampleCaveat): string {
  const interval = `${c.aucInterval.low.toFixed(2)} to ${c.aucInterval.high.toFixed(2)}`;
  return (
    `the test part (${plural(c.test, 'newest lead')}) holds ${plural(c.conversions, 'conversion')} and ` +
    `${plural(c.nonConversions, 'non-conversion')}; the figures need at least ${c.minimum} of each ` +
    '(config loop.minimumHistory.conversions, the least history the loop trains on), ' +
    `so AUC, PR-AUC, ECE, lift and the tier conversion rates can be far off: the AUC's 95% interval is ${interval}. ` +
    'Evaluate on a longer history or a larger --test-fraction before trusting them.'
  );
}

import type { BenchRow } from './run-bench.js';
import { metText, plainTable, sec } from './table-format.js';
import { meetsQuality } from './target-check.js';

/** The shipped model and its baseline on the bank data's time split, against the targets. */
export function evaluationTable(row: BenchRow): string {
  const table = plainTable(['Bank evaluation (newest 20% test)', 'AUC', 'PR-AUC', 'Top-decile lift', 'ECE', 'Log loss', 'Train s', 'Target', 'Met']);
  const target = row.target?.text ?? '';
  const r = row.result?.kind === 'evaluation' ? row.result : null;
  if (!r) {
    table.push([row.label, { colSpan: 6, content: row.note ?? 'no result' }, target, metText(row.targetMet)]);
    return table.toString();
  }
  const e = r.report;
  const b = r.baseline;
  const model = r.intervals?.model;
  const base = r.intervals?.baseline;
  table.push([r.model, withInterval(e.auc, model?.auc, 3), e.prAuc.toFixed(3), withInterval(e.liftTopDecile, model?.liftTopDecile, 2), e.ece.toFixed(3), e.logLoss.toFixed(3), sec(e.trainSeconds), target, metText(row.targetMet)]);
  const baselineMet = row.target ? meetsQuality(row.target, b.auc, b.liftTopDecile) : null;
  table.push([`${b.name}, baseline (uncalibrated)`, withInterval(b.auc, base?.auc, 3), b.prAuc.toFixed(3), withInterval(b.liftTopDecile, base?.liftTopDecile, 2), b.ece.toFixed(3), b.logLoss.toFixed(3), '', target, metText(baselineMet)]);
  return [
    table.toString(),
    `${e.rows.toLocaleString('en-US')} rows, ${e.train.toLocaleString('en-US')} train (oldest) / ${e.test.toLocaleString('en-US')} test (newest), ${e.features} features; ` +
      `excluded: ${e.excluded.map((x) => x.column).join(', ') || 'none'}. Targets: the best scikit-learn row in SOURCE.md (AUC 0.745) and the engine issue's lift.` +
      (model ? ' In brackets: 95% bootstrap interval over the test leads (500 resamples): the noise of one test part, which a target is read against.' : ''),
  ].join('\n');
}

/** "1.99 (1.92-2.06)": the figure and its bootstrap interval, when the bench measured one. */
function withInterval(value: number, interval: { low: number; high: number } | undefined, digits: number): string {
  return interval ? `${value.toFixed(digits)} (${interval.low.toFixed(digits)}-${interval.high.toFixed(digits)})` : value.toFixed(digits);
}

import Table from 'cli-table3';
import type { EvaluationReport } from '../model/evaluation/report.js';

/** The columns a model went without and why, as a table; empty when none. Shared by evaluate and train. */
export function exclusionTable(excluded: ReadonlyArray<{ column: string; reason: string }>): string {
  if (excluded.length === 0) return '';
  const table = new Table({ head: ['Not used as input', 'Why'], style: { head: [], border: [] }, colWidths: [22, 70], wordWrap: true });
  for (const e of excluded) table.push([e.column, e.reason]);
  return table.toString();
}

/**
 * Said, not hidden in the figures: a model that loses to the simple baseline on its own test
 * leads. On stderr, so evaluate --json's stdout stays the one object; train and evaluate say it alike.
 */
export function warnIfBelowBaseline(report: Pick<EvaluationReport, 'auc' | 'baseline'>): void {
  if (report.auc === null || report.baseline.auc === null || !(report.auc < report.baseline.auc)) return;
  process.stderr.write(
    `leadlift: warning: the model's AUC ${report.auc.toFixed(3)} is below the logistic-regression baseline's ${report.baseline.auc.toFixed(3)} on the same test leads; check the data and settings before using it.\n`,
  );
}

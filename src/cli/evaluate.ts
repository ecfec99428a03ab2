import Table from 'cli-table3';
import { loadConfig } from '../config/load.js';
import { saveBundle, type ModelBundle } from '../model/bundle.js';
import type { EvaluationReport } from '../model/evaluation/report.js';
import { runEvaluation } from '../model/evaluation/run-evaluation.js';
import { describeCaveat, smallSampleCaveat } from '../model/evaluation/small-sample.js';
import { stepBars } from './step-bars.js';
import type { TrainingFlags } from './training-flags.js';
import { normalisationSection, noteLines, notesJson, orderCaution, summaryRows, type TrainingNotes, trainingNotes, unlabelledText } from './training-notes.js';
import { exclusionTable, warnIfBelowBaseline } from './exclusion-notes.js';

export interface EvaluateFlags extends TrainingFlags {
  testFraction?: number;
  json?: boolean;
  saveModel?: string;
}

/** The action of `leadlift evaluate`, once evaluate-command.ts has checked the --save-model path; its flags and help are there. */
export async function evaluateCommand(flags: EvaluateFlags): Promise<void> {
  const config = loadConfig();
  let model: ModelBundle | undefined;
  let notes: TrainingNotes | undefined;
  const report = await runEvaluation({ ...flags, config, onStep: stepBars(), onModel: (b) => (model = b), onPrepared: (p) => (notes = trainingNotes(p, flags)) });
  for (const line of notes ? noteLines(notes) : []) process.stderr.write(`${line}\n`);
  if (flags.saveModel && model) saveBundle(flags.saveModel, model, '--save-model');
  const caveat = smallSampleCaveat(report, config.loop.minimumHistory.conversions);
  // stderr only: --json's stdout is one contract object that tools parse.
  if (caveat) process.stderr.write(`leadlift: warning: ${describeCaveat(caveat)}\n`);
  warnIfBelowBaseline(report);
  const caveatText = caveat ? describeCaveat(caveat) : undefined;
  const json = () => JSON.stringify(notes ? { ...report, ...notesJson(notes) } : report);
  process.stdout.write(flags.json ? `${json()}\n` : renderReport(report, flags.saveModel, caveatText, notes));
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** Every row of the file, so the parts add up: rows with no outcome are in neither train nor test. */
export function leadsLine(r: Pick<EvaluationReport, 'rows' | 'train' | 'test'>): string {
  const unlabelled = r.rows - r.train - r.test;
  const int = (n: number) => n.toLocaleString('en-US');
  return `${int(r.rows)} (train ${int(r.train)} older, test ${int(r.test)} newest${unlabelled > 0 ? `; ${unlabelledText(unlabelled)}` : ''})`;
}

/** `caveat` (a small test part) heads the report, so nobody reads the figures without it. */
export function renderReport(r: EvaluationReport, savedTo?: string, caveat?: string, notes?: TrainingNotes): string {
  const head = { head: [], style: { head: [], border: [] } };
  const summary = new Table(head);
  summary.push(
    ['Leads', leadsLine(r)],
    ['Conversion rate (test)', pct(r.positiveRateTest)],
    ['Engine', `${r.engine}, ${r.features} features`],
    ['Training / scoring time', `${num(r.trainSeconds, 1)} s / ${num(r.scoreSeconds, 2)} s`],
    ...(notes ? summaryRows(notes) : []),
  );
  const quality = new Table({ head: ['Test leads', 'leadlift', r.baseline.name], style: { head: [], border: [] } });
  quality.push(
    ['AUC (ranking, 0.5 = random)', num(r.auc), num(r.baseline.auc)],
    ['Lift in top 10%', num(r.liftTopDecile, 2), num(r.baseline.liftTopDecile, 2)],
    ['PR-AUC', num(r.prAuc), ''],
    ['Log loss', num(r.logLoss), ''],
    ['Brier score', num(r.brier), ''],
    ['Calibration error (ECE)', num(r.ece), ''],
  );
  const tiers = new Table({ head: ['Tier', 'Test leads', 'Converted'], style: { head: [], border: [] } });
  for (const t of r.tiers) tiers.push([t.tier, String(t.leads), pct(t.conversionRate)]);
  const parts = [summary.toString(), quality.toString(), tiers.toString()];
  if (caveat) parts.unshift(`CAUTION: ${caveat}`);
  const backwards = notes && orderCaution(notes);
  if (backwards) parts.unshift(`CAUTION: ${backwards}`);
  if (r.excluded.length) parts.push(exclusionTable(r.excluded));
  if (notes) parts.push(normalisationSection(notes));
  if (savedTo) parts.push(`Model saved to ${savedTo}`);
  return `${parts.join('\n\n')}\n`;
}

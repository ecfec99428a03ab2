import { type Command, Option } from 'commander';
import Table from 'cli-table3';
import { loadConfig } from '../config/load.js';
import { saveBundle, type ModelBundle } from '../model/bundle.js';
import type { EvaluationReport } from '../model/evaluation/report.js';
import { type EvaluationStep, runEvaluation } from '../model/evaluation/run-evaluation.js';
import { describeCaveat, smallSampleCaveat } from '../model/evaluation/small-sample.js';
import { checkOutputPath } from './output-file.js';
import { type Progress, progress } from './progress.js';
import { addTrainingFlags, fraction, type TrainingFlags } from './training-flags.js';
import { normalisationSection, noteLines, notesJson, orderCaution, summaryRows, type TrainingNotes, trainingNotes, unlabelledText } from './training-notes.js';
import { exclusionTable, warnIfBelowBaseline } from './exclusion-notes.js';

interface EvaluateFlags extends TrainingFlags {
  testFraction?: number;
  json?: boolean;
  saveModel?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('Train on the older leads, test on the newest, and report how well the scores rank and how honest they are');
  addTrainingFlags(cmd)
    .addOption(new Option('--test-fraction <share>', 'newest share of leads kept for testing (default: config evaluation.testFraction, 0.2)').argParser(fraction('--test-fraction')))
    .option('--json', 'print one JSON object on stdout and nothing else')
    .option('--save-model <file>', 'also save the evaluated model (as `leadlift train --output` would)')
    .action(async (flags: EvaluateFlags) => {
      if (flags.saveModel) checkOutputPath(flags.input, flags.saveModel, '--save-model', 'the model');
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
    });
}

const stepLabels: Record<EvaluationStep, string> = {
  prepare: 'Reading leads',
  train: 'Training trees',
  score: 'Scoring test leads',
  baseline: 'Baseline',
};

/** One stderr bar per step, opened on its first report and closed when it completes. */
export function stepBars(): (step: EvaluationStep, done: number, total: number) => void {
  const bars = new Map<EvaluationStep, Progress>();
  let last = new Map<EvaluationStep, number>();
  return (step, done, total) => {
    let bar = bars.get(step);
    if (!bar) {
      bar = progress(stepLabels[step], total);
      bars.set(step, bar);
    }
    bar.total(total);
    bar.tick(done - (last.get(step) ?? 0));
    last = last.set(step, done);
    if (done >= total) bar.done();
  };
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** Every row of the file, so the parts add up: rows with no outcome are in neither train nor test. */
export function leadsLine(r: Pick<EvaluationReport, 'rows' | 'train' | 'test'>): string {
  const unlabelled = r.rows - r.train - r.test;
  return `${r.rows} (train ${r.train} older, test ${r.test} newest${unlabelled > 0 ? `; ${unlabelledText(unlabelled)}` : ''})`;
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

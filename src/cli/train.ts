import { loadConfig } from '../config/load.js';
import { saveBundle } from '../model/bundle.js';
import { runEvaluation } from '../model/evaluation/run-evaluation.js';
import { trainOnAllRows } from '../model/train-model.js';
import { stepBars } from './step-bars.js';
import { exclusionTable, warnIfBelowBaseline } from './exclusion-notes.js';
import type { TrainingFlags } from './training-flags.js';
import { counted } from '../domain/counted.js';
import { normalisationSection, noteLines, type TrainingNotes, trainingNotes, unlabelledText } from './training-notes.js';

export interface TrainFlags extends TrainingFlags {
  output: string;
  testFraction?: number;
}

/** The action of `leadlift train`, once train-command.ts has checked the --output path; its flags and help are there. */
export async function trainCommand(flags: TrainFlags): Promise<void> {
  const config = loadConfig();
  const options = { ...flags, config };
  let notes: TrainingNotes | undefined;
  const evaluation = await runEvaluation({ ...options, onStep: stepBars(), onPrepared: (p) => (notes = trainingNotes(p, flags)) });
  for (const line of notes ? noteLines(notes) : []) process.stderr.write(`${line}\n`);
  const bundle = await trainOnAllRows({ ...options, onStep: stepBars() }, evaluation);
  saveBundle(flags.output, bundle, '--output');
  process.stdout.write(
    `Model saved to ${flags.output}: trained on ${counted(bundle.training.rows, 'lead')} (${bundle.training.positives.toLocaleString('en-US')} converted). ` +
      `Measured on the newest ${counted(evaluation.test, 'lead')} before: AUC ${figure(evaluation.auc, 3)}, top-decile lift ${figure(evaluation.liftTopDecile, 2)} ` +
      `(baseline AUC ${figure(evaluation.baseline.auc, 3)}).\n`,
  );
  // What the saved model went without, as evaluate lists it: a leak or an identifier dropped is news.
  const excluded = exclusionTable(bundle.excluded);
  if (excluded) process.stdout.write(`${excluded}\n`);
  if (notes) process.stdout.write(trainNotesText(notes));
  warnIfBelowBaseline(evaluation);
}

/** After the summary line: rows left out, then what normalisation changed. */
function trainNotesText(notes: TrainingNotes): string {
  const left = notes.unlabelledRows > 0 ? `${unlabelledText(notes.unlabelledRows)}.\n` : '';
  return `${left}\n${normalisationSection(notes)}\n`;
}

/** As `evaluate` prints them: AUC to 3 places, lift to 2; n/a when a figure is undefined. */
function figure(value: number | null, places: number): string {
  return value === null ? 'n/a' : value.toFixed(places);
}

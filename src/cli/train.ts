import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { saveBundle } from '../model/bundle.js';
import { runEvaluation } from '../model/evaluation/run-evaluation.js';
import { trainOnAllRows } from '../model/train-model.js';
import { stepBars } from './evaluate.js';
import { addTrainingFlags, fraction, type TrainingFlags } from './training-flags.js';
import { counted } from '../domain/counted.js';

interface TrainFlags extends TrainingFlags {
  output: string;
  testFraction?: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('Measure the model on a time split, then train it on every lead and save it for `leadlift score`');
  addTrainingFlags(cmd)
    .requiredOption('--output <file>', 'where to write the model (JSON)')
    .option('--test-fraction <share>', 'newest share of leads used to measure the model first (default 0.2)', fraction('--test-fraction'))
    .action(async (flags: TrainFlags) => {
      const config = loadConfig();
      const options = { ...flags, config };
      const evaluation = await runEvaluation({ ...options, onStep: stepBars() });
      const bundle = await trainOnAllRows({ ...options, onStep: stepBars() }, evaluation);
      saveBundle(flags.output, bundle);
      process.stdout.write(
        `Model saved to ${flags.output}: trained on ${counted(bundle.training.rows, 'lead')} (${bundle.training.positives.toLocaleString('en-US')} converted). ` +
          `Measured on the newest ${evaluation.test} leads before: AUC ${evaluation.auc}, top-decile lift ${evaluation.liftTopDecile} ` +
          `(baseline AUC ${evaluation.baseline.auc}).\n`,
      );
    });
}

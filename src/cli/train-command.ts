import type { Command } from 'commander';
import { checkOutputPath } from './output-file.js';
import type { TrainFlags } from './train.js';
import { addTrainingFlags, fraction } from './training-flags.js';

/**
 * `leadlift train`: measures, then trains on every lead and saves the model. Only the flags here;
 * train.ts, which loads the config and the engines, loads when it runs.
 */
export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('Measure the model on a time split, then train it on every lead and save it for `leadlift score`');
  addTrainingFlags(cmd)
    .requiredOption('--output <file>', 'where to write the model (JSON)')
    .option('--test-fraction <share>', 'newest share of leads used to measure the model first (default: config evaluation.testFraction, 0.2)', fraction('--test-fraction'))
    .action(async (flags: TrainFlags) => {
      // Before train.ts loads the engines: a folder that is not there is said at once.
      checkOutputPath(flags.input, flags.output, '--output', 'the model');
      await (await import('./train.js')).trainCommand(flags);
    });
}

import { type Command, Option } from 'commander';
import type { EvaluateFlags } from './evaluate.js';
import { checkOutputPath } from './output-file.js';
import { addTrainingFlags, fraction } from './training-flags.js';

/**
 * `leadlift evaluate`: a time-split report of the model's quality. Only the flags here; evaluate.ts,
 * which loads the config, the engines and the tables, loads when it runs.
 */
export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('Train on the older leads, test on the newest, and report how well the scores rank and how honest they are');
  addTrainingFlags(cmd)
    .addOption(new Option('--test-fraction <share>', 'newest share of leads kept for testing (default: config evaluation.testFraction, 0.2)').argParser(fraction('--test-fraction')))
    .option('--json', 'print one JSON object on stdout and nothing else')
    .option('--save-model <file>', 'also save the evaluated model (as `leadlift train --output` would)')
    .action(async (flags: EvaluateFlags) => {
      // Before evaluate.ts loads the engines: a folder that is not there is said at once.
      if (flags.saveModel) checkOutputPath(flags.input, flags.saveModel, '--save-model', 'the model');
      await (await import('./evaluate.js')).evaluateCommand(flags);
    });
}

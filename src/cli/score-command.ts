import type { Command } from 'commander';
import { checkOutputPath } from './output-file.js';
import type { ScoreFlags } from './score.js';

/**
 * `leadlift score`: scores a CSV file with a saved model. Only the flags and help here; score.ts,
 * which loads the model code and the CSV reader and writer, loads when it runs.
 */
export function register(program: Command): void {
  program
    .command('score')
    .description('Score leads with a saved model: probability, score 0-100, tier and reasons for every row')
    .requiredOption('--input <file>', 'CSV file of leads to score')
    .requiredOption('--model <file>', 'model file written by `leadlift train --output`')
    .requiredOption('--output <file>', 'CSV file to write: the input columns plus the score columns, with the input\'s separator, BOM and line endings')
    .option('--sep <char>', 'field separator of the input (default: detected); the output uses the same')
    .option(
      '--rank-within-file',
      "score = the lead's standing among this file's rows instead (batch triage: with the default tiers the file's top fifth is Hot); the same lead then scores differently in another file",
    )
    .option('--strict', "refuse (exit 2) when the file lacks any of the model's input columns, instead of warning and scoring them as missing (a file lacking most of them is refused anyway)")
    .option(
      '--raw-cells',
      "write every cell as it is, without the ' put before cells a spreadsheet would run as a formula (for a program that reads the file, not Excel)",
    )
    .addHelpText(
      'after',
      `
The score (0-100) with scoring.scale "rank" (the default) is the lead's standing among the
model's reference leads: the share of the newest leads of its training history (scored before
the model learnt from them) whose probability is below this lead's. It depends on the lead,
the model and the day it is scored (date columns become recency),
never on the other rows of the file. With scoring.scale "probability", or
a model file saved before reference leads were stored, the score is 100 x the probability.

Reasons ("+14 Lead source is Reference; -5 Age is 61") give each factor's score points above
or below the typical lead of those same reference leads (with --rank-within-file: of the
file's rows), the side the lead leans to first; the typical lead's score plus every factor's
points is the lead's score. Model files saved before bundle format 4 count from the model's
training average instead. A number reads "low" below the lower quartile of those same leads
and "high" above their upper one; model files saved before bundle format 5 judge by the
training leads' quartiles instead.

Cells a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return,
and not a plain number such as -1.8) are written with a leading ', as OWASP advises against CSV
formula injection: Excel and LibreOffice show them as text, without the '. That includes the
reasons column, which starts with "+14 …" or "-5 …". --raw-cells writes every cell unchanged,
for a program that reads the file rather than a spreadsheet.
`,
    )
    .action(async (flags: ScoreFlags) => {
      // Before score.ts loads the model code: a folder that is not there is said at once.
      checkOutputPath(flags.input, flags.output);
      await (await import('./score.js')).scoreCommand(flags);
    });
}

import { type Command, InvalidArgumentError, Option } from 'commander';

/** Flags shared by `evaluate` and `train`: where the leads are and what counts as a conversion. */
export interface TrainingFlags {
  input: string;
  label: string;
  positive?: string[];
  order?: string;
  sep?: string;
  exclude?: string[];
  engine?: 'fast' | 'ml-random-forest';
  seed?: number;
}

export function addTrainingFlags(cmd: Command): Command {
  return cmd
    .requiredOption('--input <file>', 'CSV file of past leads, one row per lead')
    .requiredOption('--label <column>', 'column holding the outcome (converted or not)')
    .option(
      '--positive <value>',
      'label value that means converted; several: repeat the flag or separate them with commas (default: every yes/true/1/won/converted value when the label holds only yes/no words)',
      repeated,
    )
    .option('--order <column>', 'date or number column giving time order (default: file order, oldest first)')
    .option('--sep <char>', 'field separator (default: detected from , ; tab |)')
    .option('--exclude <columns>', 'comma-separated columns never to use as inputs; repeatable (default: none beyond config features.exclude)', commaList)
    .addOption(new Option('--engine <name>', 'forest engine (default: config model.engine)').choices(['fast', 'ml-random-forest']))
    .option('--seed <n>', 'random seed (default: config model.seed)', integer('--seed'));
}

/** Kept whole: readOutcome splits at commas only a value that no label cell holds whole ("Closed, won"). */
function repeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** No commander default: it would print "(default: [])" in the help. */
function commaList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function integer(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${flag} must be a whole number (got "${value}").`);
    return n;
  };
}

export function fraction(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`${flag} must be a number above 0 and below 1, such as 0.2 (got "${value}").`);
    return n;
  };
}

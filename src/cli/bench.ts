import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { formatBench } from '../bench/bench-table.js';
import { runBench } from '../bench/run-bench.js';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import { runEvaluation } from '../model/evaluation/run-evaluation.js';

const defaultBankFile = fileURLToPath(new URL('../../../shared/data/bank-marketing/bank-additional-full.csv', import.meta.url));

/** `leadlift bench` (`npm run bench`): training and scoring speed, memory and quality of both engines. */
export function register(program: Command): void {
  program
    .command('bench')
    .description('Measure both forest engines: training time, scoring rate, peak memory, and the bank-data evaluation')
    .option('--input <file>', 'bank marketing CSV (";"-separated, label y)', defaultBankFile)
    .option('--quick', 'smaller synthetic sizes, for a fast look', false)
    .option('--no-reference', 'skip the slow ml-random-forest rows')
    .option('--reference-cap <seconds>', 'stop an ml-random-forest run after this long', '120')
    .option('--json', 'print one JSON object instead of tables', false)
    .action(async (flags: { input: string; quick: boolean; reference: boolean; referenceCap: string; json: boolean }) => {
      const cap = Number(flags.referenceCap);
      if (!Number.isFinite(cap) || cap <= 0) throw new InputError(`--reference-cap must be a positive number of seconds (got "${flags.referenceCap}")`);
      const bankInput = existsSync(flags.input) ? flags.input : null;
      if (!bankInput) process.stderr.write(`leadlift bench: ${flags.input} not found; skipping the bank rows.\n`);
      const config = loadConfig();
      const report = await runBench({
        bankInput,
        threads: availableParallelism(),
        quick: flags.quick,
        reference: flags.reference,
        referenceCapSeconds: cap,
        referenceGrowLimitSeconds: Math.min(60, cap / 2),
        onJob: (label) => process.stderr.write(`bench: ${label} ...\n`),
        evaluate: bankInput
          ? () => runEvaluation({ input: bankInput, label: 'y', exclude: ['duration'], testFraction: 0.2, config })
          : undefined,
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatBench(report)}\n`);
    });
}

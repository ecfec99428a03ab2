import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { formatBench } from '../bench/bench-table.js';
import { benchDatabaseUrl } from '../bench/jobs/store.js';
import { runBench } from '../bench/run-bench.js';
import { InputError } from '../domain/errors.js';

const defaultBankFile = fileURLToPath(new URL('../../../shared/data/bank-marketing/bank-additional-full.csv', import.meta.url));

/**
 * `leadlift bench` (`npm run bench`): forest speed and memory, the shipped model's quality on
 * the bank data, and the plumbing around it (ingest, store, sandbox seed, HubSpot write-back).
 */
export function register(program: Command): void {
  program
    .command('bench')
    .description('Measure the engines, the shipped model on the bank data, the store, the sandbox seed and HubSpot write-back; prints tables with targets')
    .option('--input <file>', 'bank marketing CSV (";"-separated, label y)', defaultBankFile)
    .option('--quick', 'smaller sizes and no ml-random-forest rows (about two minutes)', false)
    .option('--no-reference', 'skip the slow ml-random-forest rows')
    .option('--reference-cap <seconds>', 'stop an ml-random-forest run after this long', '120')
    .option('--json', 'print one JSON object instead of tables', false)
    .action(async (flags: { input: string; quick: boolean; reference: boolean; referenceCap: string; json: boolean }, command: Command) => {
      const cap = Number(flags.referenceCap);
      if (!Number.isFinite(cap) || cap <= 0) throw new InputError(`--reference-cap must be a positive number of seconds (got "${flags.referenceCap}")`);
      const bankInput = bankInputOf(flags.input, command.getOptionValueSource('input') !== 'default');
      const postgres = benchDatabaseUrl() !== null;
      const report = await runBench({
        bankInput,
        threads: availableParallelism(),
        quick: flags.quick,
        reference: flags.reference,
        postgres,
        referenceCapSeconds: cap,
        referenceGrowLimitSeconds: Math.min(60, cap / 2),
        onJob: (label) => process.stderr.write(`bench: ${label} ...\n`),
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatBench(report)}\n`);
    });
}

/**
 * The bank CSV to measure on, or null to skip the bank rows. Only the default may be missing (a
 * checkout without ../shared still benches the engines); a file the user named that is not there
 * is a typo, and a run of several minutes without the figures they asked for is no answer to it.
 */
function bankInputOf(path: string, named: boolean): string | null {
  if (!named) {
    if (existsSync(path)) return path;
    process.stderr.write(`leadlift bench: ${path} not found; skipping the bank rows.\n`);
    return null;
  }
  const why = !existsSync(path) ? 'file not found' : statSync(path).isDirectory() ? 'is a folder, not a file' : null;
  if (why) throw new InputError(`leadlift bench --input: cannot read ${path}: ${why}`);
  return path;
}

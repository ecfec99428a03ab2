import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

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
    .action(async (flags: { input: string; quick: boolean; reference: boolean; referenceCap: string; json: boolean }, command: Command) => (await import('./bench.js')).benchCommand(flags, command));
}

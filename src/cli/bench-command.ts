import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';

const defaultBankFile = fileURLToPath(new URL('../../../shared/data/bank-marketing/bank-additional-full.csv', import.meta.url));

/**
 * `leadlift bench` (`npm run bench`): forest speed and memory, the shipped model's quality on
 * the bank data, and the plumbing around it (ingest, store, sandbox seed, HubSpot write-back).
 */
export function register(program: Command): void {
  program
    .command('bench')
    .description('Measure the engines, the shipped model on the bank data, the store, the sandbox seed and HubSpot write-back; prints tables with targets')
    // Defaults in words, as the other commands' help says them (not commander's quoted raw values).
    .addOption(new Option('--input <file>', 'bank marketing CSV (";"-separated, label y)').default(defaultBankFile, '../shared/data/bank-marketing/bank-additional-full.csv'))
    .option('--quick', 'smaller sizes and no ml-random-forest rows (about two minutes)')
    .option('--no-reference', 'skip the slow ml-random-forest rows')
    .addOption(new Option('--reference-cap <seconds>', 'stop an ml-random-forest run after this long').default('120', '120 seconds'))
    .option('--json', 'print one JSON object instead of tables')
    .action(async (flags: { input: string; quick: boolean; reference: boolean; referenceCap: string; json: boolean }, command: Command) => (await import('./bench.js')).benchCommand({ ...flags, quick: flags.quick === true, json: flags.json === true }, command));
}

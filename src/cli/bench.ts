import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { InputError } from '../domain/errors.js';

/** The action of `leadlift bench`; its flags and help are in bench-command.ts. */
export async function benchCommand(flags: { input: string; quick: boolean; reference: boolean; referenceCap: string; json: boolean }, command: Command): Promise<void> {
  const cap = Number(flags.referenceCap);
  if (!Number.isFinite(cap) || cap <= 0) throw new InputError(`--reference-cap must be a positive number of seconds (got "${flags.referenceCap}")`);
  const bankInput = bankInputOf(flags.input, command.getOptionValueSource('input') !== 'default');
  // The bench's jobs (every engine, the store, the sandbox) load after the flags are checked: a typo
  // in --input is said in a fraction of a second instead of after that start-up.
  const [{ formatBench }, { benchDatabaseUrl }, { runBench }] = await Promise.all([
    import('../bench/bench-table.js'),
    import('../bench/jobs/store.js'),
    import('../bench/run-bench.js'),
  ]);
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

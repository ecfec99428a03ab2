import { Command, CommanderError } from 'commander';
import { LeadliftError } from '../domain/errors.js';
import { commands } from './commands.js';
import { loadDotEnvFile } from './dotenv-file.js';
import { unknownOptionsFirst } from './unknown-options-first.js';
import { packageVersion } from './version.js';

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('leadlift')
    .description('Lead scoring for HubSpot and Salesforce: scores, tiers and reasons on every lead.')
    .version(packageVersion(), '-V, --version', 'print the leadlift version')
    .showHelpAfterError('see `leadlift --help`')
    .exitOverride();
  for (const register of commands) register(program);
  for (const command of program.commands) pointToHelp(command, `leadlift ${command.name()}`);
  unknownOptionsFirst(program);
  try {
    loadDotEnvFile();
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

/**
 * After a usage error, one line pointing to the command's help rather than the whole help, which
 * buried the message that says what was wrong.
 */
function pointToHelp(command: Command, path: string): void {
  command.showHelpAfterError(`see \`${path} --help\``);
  for (const sub of command.commands) pointToHelp(sub, `${path} ${sub.name()}`);
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; usage errors were already printed by commander.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof LeadliftError) {
    process.stderr.write(`leadlift: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`leadlift: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

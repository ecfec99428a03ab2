import { Command, CommanderError } from 'commander';
import { LeadliftError } from '../domain/errors.js';
import { ignoreClosedStdout } from './closed-stdout.js';
import { commandsFor } from './commands.js';
import { sayFatal } from './fatal-log.js';
import { refuseRepeatedFlags } from './single-value-flags.js';
import { loadDotEnvFile } from './dotenv-file.js';
import { unexpectedFailureText } from './unexpected-failure.js';
import { unknownOptionsFirst } from './unknown-options-first.js';
import { packageVersion } from './version.js';

export async function main(argv: string[]): Promise<void> {
  ignoreClosedStdout();
  const program = new Command()
    .name('leadlift')
    .description('Lead scoring for HubSpot and Salesforce: scores, tiers and reasons on every lead.')
    .version(packageVersion(), '-V, --version', 'print the leadlift version')
    .showHelpAfterError('see `leadlift --help`')
    .exitOverride();
  for (const register of await commandsFor(argv)) register(program);
  for (const command of program.commands) pointToHelp(command, `leadlift ${command.name()}`);
  unknownOptionsFirst(program);
  refuseRepeatedFlags(program);
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
    // A stop someone asked for is no error; an alert on errors should not fire on every deploy.
    if (!sayFatal(err.exitCode >= 128 ? 'warn' : 'error', err.message, { exitCode: err.exitCode })) process.stderr.write(`leadlift: ${err.message}\n`);
    return err.exitCode;
  }
  const text = unexpectedFailureText(err);
  if (!sayFatal('error', `unexpected failure: ${text}`, { exitCode: 1 })) process.stderr.write(`leadlift: unexpected failure: ${text}\n`);
  return 1;
}

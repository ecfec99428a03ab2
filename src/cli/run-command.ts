import type { Command } from 'commander';

/**
 * `leadlift run`: one cycle of the loop (sync -> train if due -> score -> write back) for each CRM.
 * Only the flags here; run.ts, which pulls in both CRM SDKs and the store, loads when it runs, so
 * `leadlift --help` does not pay for it.
 */
export function register(program: Command): void {
  program
    .command('run')
    .description('Run the loop once: sync leads and outcomes, train if due, score open leads, write changed scores back')
    .option('--crm <crm>', 'only this CRM: hubspot or salesforce (default: every configured CRM; the local sandbox when none is)')
    .option('--force-train', 'train a new model even if the active one is recent (promoted only if it scores better)')
    .option('--json', 'print the run summary as JSON on stdout')
    .action(async (raw: Record<string, unknown>) => (await import('./run.js')).runCommand(raw));
}

import type { Command } from 'commander';

/** `leadlift status`: is the loop working, and what did it last do; read from the store alone. */
export function register(program: Command): void {
  program
    .command('status')
    .description('Say whether the loop is working and what it last did, per CRM, from the store alone (never contacts a CRM)')
    .option('--crm <crm>', 'only this CRM: hubspot or salesforce (default: every configured CRM; the local sandbox\'s when none is)')
    .option('--json', 'print {ok, problems, checkedAt, store, schedule, crms: [{crm, ok, account, tokensStored, running, lastCycle, lastSuccessAt, model, lastRetrain, openLeads, pushes}]} as JSON on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Reads the store `leadlift run` uses (DATABASE_URL, else LEADLIFT_HOME; the local sandbox\'s store in',
        'LEADLIFT_HOME/sandbox when no CRM is configured), as prune and forget do, and refuses as they do',
        '(exit 2) when no CRM setting is set and the store is elsewhere. Safe while `serve` runs. Per CRM:',
        'the account recorded (portal or org id) and whether OAuth tokens are stored (never the tokens); the',
        'last cycle (start, end, outcome, leads synced, scored, written and failed, a failure\'s reason) and',
        'whether one is running now; the model in service (version, trained when, AUC on the newest closed',
        'leads, leads it learnt from) and the last retrain\'s outcome; open leads scored, by tier; pushes',
        'pending and failed. Then the store (SQLite file and size, or PostgreSQL host and database) and the',
        'next scheduled sync and retrain (config loop.schedule), in UTC.',
        '',
        'Exit 0: every CRM\'s latest cycle succeeded, within twice the sync interval (the longest gap',
        'between upcoming loop.schedule.sync times). Exit 1: a latest cycle failed, none has run, or the',
        'last success is older than that; each reason is said (stderr; "problems" with --json). Exit 2:',
        'bad input (an unknown --crm, no store).',
      ].join('\n'),
    )
    .action(async (raw: Record<string, unknown>) => (await import('./status.js')).statusCommand(raw));
}

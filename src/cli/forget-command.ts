import type { Command } from 'commander';

/** `leadlift forget`: erases leads from the store (right to erasure) without contacting the CRM. */
export function register(program: Command): void {
  program
    .command('forget')
    .description('Erase leads from leadlift\'s store (right to erasure): their synced properties, outcome, snapshots and scores; or, with --all, clear one CRM\'s data to switch to another portal or org')
    .option('--crm <crm>', 'the CRM the leads belong to: hubspot or salesforce (required)')
    .option('--lead <id>', 'the CRM id of a lead to forget; repeat the flag for several (--lead 101 --lead 102)', collect)
    .option('--all', 'clear all of the CRM\'s data instead (its leads, outcomes, snapshots, scores, models, sync cursors and the portal or org it recorded), to switch the store to another portal or org; tiers, settings and the other CRM stay')
    .option('--json', 'print {crm, leads, removed: {records, outcomes, snapshots, scores, stagedOutcomes}, notFound: [ids not in the store]} as JSON on stdout; with --all, {crm, all: true, account, removed: {<table>: rows}, forgotten: {setAside, kept}}')
    .addHelpText(
      'after',
      [
        '',
        'Uses the store `leadlift run` uses for that CRM. When the CRM is configured (its credentials are',
        'set), that is the database DATABASE_URL names, or the store in LEADLIFT_HOME when it is unset.',
        'When no CRM is configured, it is the local sandbox\'s store in LEADLIFT_HOME/sandbox (no sandbox',
        'is started, and a running `leadlift start` keeps its sandbox lock). It never contacts the CRM.',
        'With no CRM setting and no sandbox store yet (LEADLIFT_HOME/sandbox/leadlift.db), it stops with',
        'exit 2 and changes nothing when LEADLIFT_HOME/leadlift.db exists (a configured CRM\'s store) or',
        'when DATABASE_URL is set (a PostgreSQL deployment): run it with the CRM settings `serve` runs with.',
        'A forgotten id is kept (the id alone) on a suppression list: later syncs, scores',
        'and pushes leave that lead out, even while the CRM still holds it. The CRM keeps the lead and its',
        'values until it is deleted there too (HubSpot: GDPR delete; Salesforce: delete and empty the',
        'recycle bin). Models keep no rows per lead; the next retrain no longer learns from the forgotten',
        'leads. In --json, stagedOutcomes counts the outcomes a re-derive under a changed outcome rule had',
        'read of them and not put in place yet, apart from their stored outcomes. Forgetting an unknown or',
        'already forgotten id succeeds and reports 0 rows. It works while a cycle runs: that cycle leaves',
        'the leads out from its next write. Each call is recorded in the audit log with the lead ids and',
        'row counts only.',
        '',
        '--all is for switching a store to another HubSpot portal or Salesforce org: a cycle refuses to run',
        'when the connected one is not the one the store\'s data belongs to (record ids are numbered per',
        'account). It clears that CRM\'s rows in one audited transaction, waits for no cycle (one running',
        'makes it stop with exit 2, nothing cleared), and the next cycle records the portal or org connected',
        'then and syncs it in full. The suppression list is set aside under the portal or org it was kept',
        'for: record ids are numbered per account, so it holds back no record of the next one, and it is in',
        'force again if that portal or org is connected later (a store that recorded none keeps it in force).',
      ].join('\n'),
    )
    .action(async (raw: Record<string, unknown>) => (await import('./forget.js')).forgetCommand(raw));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

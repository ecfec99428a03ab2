import type { Command } from 'commander';

/** `leadlift prune`: the retention the nightly retrain applies, on demand (or only counted, with --dry-run). */
export function register(program: Command): void {
  program
    .command('prune')
    .description('Remove store history older than config store.retention (as each training does): old scores, snapshots, runs and models no rollback needs')
    .option('--crm <crm>', 'only this CRM\'s history: hubspot or salesforce (default: every CRM the store has runs of)')
    .option('--dry-run', 'count what would be removed, per table, and remove nothing')
    .option('--json', 'print {dryRun, store, crms: [{crm, removed: {scores, snapshots, models, runs}, olderThan, keepModels, models, sqliteFile?}]} as JSON on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Uses the store `leadlift run` uses (DATABASE_URL, else LEADLIFT_HOME; the local sandbox\'s store in',
        'LEADLIFT_HOME/sandbox when no CRM is configured) and every CRM with history in it (any run of it),',
        'or only the CRM --crm names, in the store `leadlift run --crm` uses. With no CRM setting and no',
        'sandbox store yet (LEADLIFT_HOME/sandbox/leadlift.db), it stops with exit 2 and prunes nothing when',
        'LEADLIFT_HOME/leadlift.db exists (a configured CRM\'s store) or when DATABASE_URL is set (a',
        'PostgreSQL deployment): run it with the CRM settings `serve` runs with. It never contacts a CRM, and',
        'it is safe while `serve` runs. What goes: scores older than store.retention.scoresDays',
        '(default 365), snapshots older than snapshotsDays (90), finished runs older than runsDays (90),',
        'and models that are neither active, nor among the keepModels (5) most recently active before it',
        '(the rollback targets), nor the newest candidate. What always stays: each lead\'s latest score',
        'and snapshot (the trend), its last score written to the CRM, the score and snapshot a closed lead',
        'closed on (training and the model page\'s recent conversion), the latest run of each kind, and the',
        'audit trail. Each prune that removes anything (not a dry run) is recorded in the audit trail with',
        'its counts, never a lead id. On SQLite the file gives what a prune freed back to the disk, beyond',
        'a tenth of the file kept for new rows (a store created before this release keeps its size until',
        'a VACUUM; the prune says how).',
      ].join('\n'),
    )
    .action(async (raw: Record<string, unknown>) => (await import('./prune.js')).pruneCommand(raw));
}

import type { Command } from 'commander';

/**
 * `leadlift serve`: keeps the loop running: one cycle at start, then the nightly retrain and the
 * hourly sync and rescoring (config loop.schedule, default from manifest.json). The web server
 * (install, webhooks, admin) attaches here too.
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Keep leadlift running: a cycle now, then the nightly retrain and hourly sync and rescoring')
    .option('--crm <crm>', 'only this CRM: hubspot or salesforce (default: every configured CRM; the local sandbox when none is)')
    .option('--port <n>', 'port of the admin pages, install flows and webhooks (default: PORT, else 3000)')
    .addHelpText(
      'after',
      [
        '',
        'Ports: --port or PORT for the admin pages (default 3000); LEADLIFT_SANDBOX_PORT for the local',
        'sandbox serve starts when no CRM is configured (default any free port); 0 = any free port.',
        '',
        'Logs on stderr: LOG_LEVEL error, warn, info (default) or debug (nothing logs at debug today);',
        'LOG_FORMAT text (default on a terminal) or json (default otherwise: one JSON object per line).',
      ].join('\n'),
    )
    .action(async (raw: Record<string, unknown>) => (await import('./serve.js')).serveCommand(raw));
}

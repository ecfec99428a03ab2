import type { Command } from 'commander';

/**
 * `npm start`: the whole app on this machine with nothing to set up. A local HubSpot sandbox
 * seeded with the bank-marketing history (a fresh copy each start), one cycle of the loop, then
 * where to look, and the scheduler keeps it going.
 */
export function register(program: Command): void {
  program
    .command('start')
    .description('Try leadlift locally: a HubSpot sandbox seeded with real lead history, one scoring cycle, then keep serving')
    .addHelpText(
      'after',
      [
        '',
        'Ports: PORT for the admin pages (default 3000), LEADLIFT_SANDBOX_PORT for the sandbox (default',
        '4010); 0 = any free port. A taken port exits 2 naming the variable to set.',
        'Admin login: LEADLIFT_ADMIN_USER and LEADLIFT_ADMIN_PASSWORD (12+ characters), else user admin',
        'and a password printed for that run. Ctrl-C stops it.',
        '',
        'Logs on stderr: LOG_LEVEL error, warn, info (default) or debug (nothing logs at debug today);',
        'LOG_FORMAT text (the default here, also when piped) or json (one JSON object per line).',
      ].join('\n'),
    )
    .action(async () => (await import('./start.js')).startCommand());
}

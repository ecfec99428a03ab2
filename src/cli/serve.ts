import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import { loadManifest } from '../domain/manifest.js';
import { connectFromEnv } from '../jobs/connectors-from-env.js';
import { runAll } from './run.js';
import { cycleTable } from './cycle-table.js';
import { serveLoop } from './serve-loop.js';

const flags = z.object({ crm: z.enum(['hubspot', 'salesforce']).optional() });

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
    .action(async (raw: Record<string, unknown>) => {
      const parsed = flags.safeParse(raw);
      if (!parsed.success) throw new InputError(`leadlift serve --crm: must be hubspot or salesforce (got "${String(raw.crm)}")`);
      const config = loadConfig();
      const manifest = loadManifest();
      const connections = await connectFromEnv({ crm: parsed.data.crm });
      if (connections.sandbox) process.stderr.write(`No CRM configured: using a local sandbox at ${connections.sandbox.url} (store ${connections.store.location}).\n`);
      try {
        process.stdout.write(`${cycleTable(await runAll(connections, config, manifest, false))}\n`);
      } catch (err) {
        // The schedule retries; a failed first cycle should not stop the service.
        process.stderr.write(`leadlift: the first cycle failed: ${(err as Error).message}\n`);
      }
      await serveLoop(connections, config, manifest);
    });
}

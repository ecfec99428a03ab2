import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import { loadManifest } from '../domain/manifest.js';
import { connectFromEnv, type LoopConnections } from '../jobs/connectors-from-env.js';
import { CycleSkippedError } from '../jobs/cycle-lock-errors.js';
import { StopRequestedError } from '../jobs/stop-request.js';
import { stopOnSignal } from './stop-on-signal.js';
import { runAll } from './run.js';
import { serveLoop } from './serve-loop.js';
import { startHttpService, type HttpService } from '../server/serve-http.js';
import { portInUseOr } from '../jobs/port-in-use.js';
import { createLog } from '../server/log.js';
import { firstCycleDone, firstCycleOutput } from './cycle-log.js';
import { logLines } from './log-lines.js';
import { sayFatalWith } from './fatal-log.js';

const flags = z.object({
  crm: z.enum(['hubspot', 'salesforce']).optional(),
  port: z.coerce.number().int().min(0).max(65_535).optional(),
});

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
        'Logs on stderr: LOG_LEVEL error, warn, info (default) or debug (nothing logs at debug today);',
        'LOG_FORMAT text (default on a terminal) or json (default otherwise: one JSON object per line).',
      ].join('\n'),
    )
    .action(async (raw: Record<string, unknown>) => {
      const parsed = flags.safeParse(raw);
      if (!parsed.success) {
        const bad = parsed.error.issues[0].path[0] === 'port' ? `--port: must be a port number 0-65535 (got "${String(raw.port)}")` : `--crm: must be hubspot or salesforce (got "${String(raw.crm)}")`;
        throw new InputError(`leadlift serve ${bad}`);
      }
      const port = parsed.data.port ?? portFromEnv();
      const web = { port, host: '0.0.0.0', setting: parsed.data.port === undefined ? '--port N or PORT=N' : '--port N' };
      const config = loadConfig();
      const manifest = loadManifest();
      // One log for serve's lines, the server's and the loop's (LOG_LEVEL, LOG_FORMAT; log.ts).
      const log = createLog();
      if (log.format === 'json') sayFatalWith(log.logger);
      // Until serveLoop installs its own handler, a signal stops the first cycle at its next safe point.
      const stop = stopOnSignal(logLines(log.logger, 'warn'));
      let connections: LoopConnections;
      let http: HttpService;
      try {
        connections = await connectFromEnv({ crm: parsed.data.crm, ports: [web], awaitInstall: true, log: log.logger });
        if (connections.sandbox) log.logger.info(`No CRM configured: using a local sandbox at ${connections.sandbox.url} (store ${connections.store.location}).`);
        const opened = connections;
        http = await startHttpService({ connections, config, manifest, port, logger: log.logger }).catch(async (err: unknown) => {
          // Whatever was started would keep the process alive after the error.
          await opened.close();
          throw portInUseOr(err, web);
        });
        const metricsAccess = http.deps.settings.metricsToken ? 'with Authorization: Bearer $LEADLIFT_METRICS_TOKEN' : http.deps.settings.trustProxy === false ? 'from this machine only' : 'refused until LEADLIFT_METRICS_TOKEN is set';
        log.logger.info(`Admin pages: ${http.url}/admin (health ${http.url}/healthz, metrics ${http.url}/metrics ${metricsAccess})`);
        for (const crm of connections.awaitingInstall ?? []) {
          log.logger.warn(`${crm === 'hubspot' ? 'HubSpot' : 'Salesforce'} is not connected yet: open ${http.url}/install and choose "Connect ${crm === 'hubspot' ? 'HubSpot' : 'Salesforce'}"; its cycles start once it is connected.`);
        }
        try {
          // Nothing to cycle while the only CRM waits for its install.
          if (connections.connectors.length > 0) firstCycleDone(log, await runAll(connections, config, manifest, false, stop.signal, firstCycleOutput(log)));
        } catch (err) {
          if (stop.signal.aborted) {
            // The server and the sandbox's worker would keep the process alive.
            await http.close();
            await connections.close();
            throw err instanceof StopRequestedError ? err : stop.signal.reason;
          }
          // Another instance running the cycle is normal, not a failure (log alerts must not fire on it).
          // No "leadlift: " before these: the log names itself (name=leadlift), as every other event here.
          if (err instanceof CycleSkippedError) log.logger.info({ crm: err.crm }, err.note);
          // The schedule retries; a failed first cycle should not stop the service.
          else log.logger.error(`The first cycle failed: ${(err as Error).message}`);
        }
        if (stop.signal.aborted) {
          // Heard after the cycle's last check, so it finished: stop now rather than drop the signal.
          await http.close();
          await connections.close();
          throw new StopRequestedError((stop.signal.reason as StopRequestedError).signalName, `Stopped by ${(stop.signal.reason as StopRequestedError).signalName} after the first cycle finished.`);
        }
      } finally {
        stop.dispose();
      }
      // The install page can connect a CRM while this runs: the schedule takes the server's list.
      try {
        await serveLoop(connections, config, manifest, undefined, () => http.deps.connections.list(), log);
      } finally {
        // Also when a stopped cycle ends serveLoop with its StopRequestedError: the server would keep the process alive.
        await http.close();
      }
    });
}

export function portFromEnv(): number {
  const text = process.env.PORT?.trim();
  if (!text) return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InputError(`PORT must be a port number 0-65535 (got "${text}")`);
  return port;
}

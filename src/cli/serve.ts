import { CRM_NAMES } from '../../connectors/types.js';
import { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import { loadManifest } from '../domain/manifest.js';
import { connectFromEnv } from '../jobs/connectors-from-env.js';
import { portInUseOr } from '../jobs/port-in-use.js';
import { startHttpService, type HttpService } from '../server/serve-http.js';
import { firstCycles } from './first-cycles.js';
import { logLines } from './log-lines.js';
import { closeServing, serveLoop, throwIfStoppedAfterFirstCycle } from './serve-loop.js';
import { serveLog } from './serve-log.js';
import { stopOnSignal } from './stop-on-signal.js';
import { portFromEnv, refuseBlockedPort, sandboxPortFromEnv } from './port-settings.js';
import { scrubbedFailure } from './unexpected-failure.js';

const flags = z.object({
  crm: z.enum(['hubspot', 'salesforce']).optional(),
  port: z.coerce.number().int().min(0).max(65_535).optional(),
});

/** The action of `leadlift serve`; its flags and help are in serve-command.ts. */
export async function serveCommand(raw: Record<string, unknown>): Promise<void> {
  const parsed = flags.safeParse(raw);
  if (!parsed.success) {
    const bad = parsed.error.issues[0].path[0] === 'port' ? `--port: must be a port number 0-65535 (got "${String(raw.port)}")` : `--crm: must be hubspot or salesforce (got "${String(raw.crm)}")`;
    throw new InputError(`leadlift serve ${bad}`);
  }
  if (parsed.data.port !== undefined) refuseBlockedPort(parsed.data.port, '--port');
  const port = parsed.data.port ?? portFromEnv();
  const web = { port, host: '0.0.0.0', setting: parsed.data.port === undefined ? '--port N or PORT=N' : '--port N' };
  // Checked even when a CRM is configured and no sandbox starts: a typo ignored here would pass
  // unseen until the same .env serves the sandbox. Unset: any free port, as before, since nothing
  // outside this process needs the sandbox's URL (serve prints it) and `npm start` keeps 4010.
  const sandboxPort = sandboxPortFromEnv(0);
  const config = loadConfig();
  const manifest = loadManifest();
  const log = serveLog();
  // From here to the end one signal reaches the first cycles, the server's own work (a retrain,
  // a rescore) and the schedule: each stops at its next safe point. Listening before anything
  // says "running": a signal sent as soon as that line appears would otherwise kill the
  // process outright, leaving the store open and the sandbox lock behind.
  const stop = stopOnSignal(logLines(log.logger, 'warn'));
  try {
    const connections = await connectFromEnv({ crm: parsed.data.crm, sandboxPort, ports: [web], awaitInstall: true, log: log.logger });
    let http: HttpService | null = null;
    try {
      if (connections.sandbox) log.logger.info(`No CRM configured: using a local sandbox at ${connections.sandbox.url} (store ${connections.store.location}).`);
      http = await startHttpService({ connections, config, manifest, port, logger: log.logger, stop: stop.signal }).catch((err: unknown) => {
        throw portInUseOr(err, web);
      });
      const metricsAccess = http.deps.settings.metricsToken ? 'with Authorization: Bearer $LEADLIFT_METRICS_TOKEN' : http.deps.settings.trustProxy === false ? 'from this machine only' : 'refused until LEADLIFT_METRICS_TOKEN is set';
      log.logger.info(`Admin pages: ${http.url}/admin (health ${http.url}/healthz, metrics ${http.url}/metrics ${metricsAccess})`);
      for (const crm of connections.awaitingInstall ?? []) {
        log.logger.warn(`${CRM_NAMES[crm]} is not connected yet: open ${http.url}/install and choose "Connect ${CRM_NAMES[crm]}"; its cycles start once it is connected.`);
      }
      // The server's connectors, not the ones connectFromEnv built: another instance reconnecting a
      // CRM meanwhile replaces those, and a replaced one stops its cycle (replaced-connector.ts).
      const served = http.deps.connections;
      await firstCycles({ connections: { ...connections, connectors: served.list() }, config, manifest, stop: stop.signal, log });
      throwIfStoppedAfterFirstCycle(stop.signal, connections.connectors.length > 0);
    } catch (err) {
      // Whatever was started (the server, the sandbox's worker) would keep the process alive after the error.
      await closeServing(http, connections);
      throw scrubbedFailure(err, connections);
    }
    // The install page can connect a CRM while this runs: the schedule takes the server's list.
    const serving = http;
    await serveLoop({ connections, config, manifest, log, stop, http: serving, connectorsNow: () => serving.deps.connections.list() });
  } finally {
    stop.dispose();
  }
}

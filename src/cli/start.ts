import { loadConfig } from '../config/load.js';
import { loadManifest } from '../domain/manifest.js';
import { connectFromEnv } from '../jobs/connectors-from-env.js';
import { stopOnSignal } from './stop-on-signal.js';
import { runAll } from './run.js';
import { closeServing, serveLoop, throwIfStoppedAfterFirstCycle } from './serve-loop.js';
import { portFromEnv, sandboxPortFromEnv, START_SANDBOX_PORT } from './port-settings.js';
import { randomBytes } from 'node:crypto';
import { startHttpService, type HttpService } from '../server/serve-http.js';
import { portInUseOr } from '../jobs/port-in-use.js';
import { serveLog } from './serve-log.js';
import { firstCycleDone, firstCycleOutput } from './cycle-log.js';
import { logLines } from './log-lines.js';
import { scrubbedFailure } from './unexpected-failure.js';

/** The action of `leadlift start`; its flags and help are in start-command.ts. */
export async function startCommand(): Promise<void> {
  // The demo is read by a person, also when its output is piped or saved to a file: its log
  // lines are text unless LOG_FORMAT asks otherwise (serve's default off a terminal is json).
  // One log for the server's lines and the loop's, made first: a bad LOG_LEVEL exits 2 before
  // the previous sandbox is deleted, not after the first cycle.
  const log = serveLog({ ...process.env, LOG_FORMAT: process.env.LOG_FORMAT || 'text' });
  // The demo's own lines: plain for the person reading them; one event each when asked for json.
  const say = (line: string) => (log.format === 'json' ? log.logger.info(line) : process.stderr.write(`${line}\n`));
  const config = loadConfig();
  const manifest = loadManifest();
  const web = { port: portFromEnv(), host: '127.0.0.1', setting: 'PORT=N' };
  const sandboxPort = sandboxPortFromEnv(START_SANDBOX_PORT);
  // The demo never touches a real portal, whatever the environment says.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(HUBSPOT|SALESFORCE)_/.test(key)));
  // From here to the end one signal reaches the first cycle, the server's own work and the
  // schedule: each stops at its next safe point.
  const stop = stopOnSignal(log.format === 'json' ? logLines(log.logger, 'warn') : undefined);
  try {
    // The admin port is checked with the sandbox's, before the previous sandbox is deleted.
    const connections = await connectFromEnv({ crm: 'hubspot', env, sandboxPort, sandboxPortSetting: 'LEADLIFT_SANDBOX_PORT=N', ports: [web], freshSandbox: true, persistSandbox: false, log: log.logger });
    let http: HttpService | null = null;
    try {
      const sandbox = connections.sandbox!;
      const open = sandbox.openLeads;
      say(`Sandbox ready at ${sandbox.url}. Running the first cycle: sync, train, score ${open.toLocaleString('en-US')} open leads, write back…`);
      // The admin pages too, so a newcomer can open them: demo credentials unless the environment sets some.
      const demoLogin = !process.env.LEADLIFT_ADMIN_USER || !process.env.LEADLIFT_ADMIN_PASSWORD;
      const adminEnv = demoLogin ? { ...process.env, LEADLIFT_ADMIN_USER: 'admin', LEADLIFT_ADMIN_PASSWORD: randomBytes(12).toString('base64url') } : process.env;
      http = await startHttpService({ connections, config, manifest, port: web.port, host: web.host, env: adminEnv, logger: log.logger, stop: stop.signal }).catch((err: unknown) => {
        throw portInUseOr(err, web);
      });
      // Now, not after the cycle: the admin pages show the first cycle while it runs.
      // A log shipper keeps json events: there the password is left to stdout's "Where to look" lines.
      const login = demoLogin ? (log.format === 'json' ? 'user admin, password of this run on stdout' : `user admin, password ${adminEnv.LEADLIFT_ADMIN_PASSWORD} (this run only)`) : 'your LEADLIFT_ADMIN_USER login';
      say(`Admin pages: ${http.url}/admin   ${login}`);
      // Under json the first cycle's steps and summary are log events too, as serve's are.
      const summaries = await runAll(connections, config, manifest, false, stop.signal, log.format === 'json' ? firstCycleOutput(log) : undefined);
      firstCycleDone(log, summaries);
      const example = sandbox.exampleLeadId;
      const auth = `-H "Authorization: Bearer ${sandbox.token}"`;
      const properties = manifest.hubspot.properties.map((p) => p.name).join(',');
      process.stdout.write(
        [
          '',
          'Where to look:',
          `  HubSpot API (sandbox)   ${sandbox.url}   access token: ${sandbox.token}`,
          `  One lead's score        curl -s ${auth} "${sandbox.url}/crm/v3/objects/contacts/${example}?properties=${properties}"`,
          `  Hottest open leads      curl -s ${auth} -H "Content-Type: application/json" -X POST ${sandbox.url}/crm/v3/objects/contacts/search \\`,
          `                            -d '{"filterGroups":[{"filters":[{"propertyName":"lifecyclestage","operator":"EQ","value":"lead"}]}],"sorts":[{"propertyName":"leadlift_score","direction":"DESCENDING"}],"properties":["leadlift_score","leadlift_tier","leadlift_reasons"],"limit":5}'`,
          `  Admin pages (managers)  ${http.url}/admin   ${demoLogin ? `user admin, password ${adminEnv.LEADLIFT_ADMIN_PASSWORD} (this run only; set LEADLIFT_ADMIN_USER/PASSWORD to choose)` : 'your LEADLIFT_ADMIN_USER login'}`,
          `  Sandbox control         ${sandbox.url}/__sandbox/   (hidden outcomes of open leads: /__sandbox/hidden, requests: /__sandbox/requests)`,
          `  Store                   ${connections.store.location}`,
          `  Try against your data   set HUBSPOT_ACCESS_TOKEN (see .env.example), then npx leadlift run`,
          '',
        ].join('\n'),
      );
      throwIfStoppedAfterFirstCycle(stop.signal);
    } catch (err) {
      // Whatever was started (the sandbox's worker, the server) would keep the process alive after the error.
      await closeServing(http, connections);
      throw scrubbedFailure(err, connections);
    }
    await serveLoop({ connections, config, manifest, log, stop, http });
  } finally {
    stop.dispose();
  }
}


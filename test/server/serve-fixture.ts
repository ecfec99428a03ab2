import pino, { type Logger } from 'pino';
import type { Connector, CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../../src/config/schema.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { startHttpService, type HttpService } from '../../src/server/serve-http.js';
import type { Store } from '../../src/store/store.js';
import { ADMIN } from './server-fixture.js';
import { freePort } from '../free-port.js';

/**
 * The web half of `leadlift serve` as the CLI wires it (startHttpService), on a free loopback
 * port, told that `sandbox` is its local sandbox, with an admin login and a silent log (or `logger`).
 */
export async function startServeOnSandbox(input: {
  sandbox: { url: string; token: string };
  store: Store;
  config: AppConfig;
  connectors?: Connector[];
  logger?: Logger;
  /** More of the server's environment (e.g. a Salesforce connected app of its own). */
  env?: Record<string, string>;
  /** CRMs `serve` waits to install (connectFromEnv's awaitingInstall). */
  awaitingInstall?: CrmName[];
  connectionRecheckMs?: number;
  /** The port to listen on (default a free one), e.g. when LEADLIFT_PUBLIC_URL in `env` names another instance's. */
  port?: number;
}): Promise<HttpService> {
  const port = input.port ?? (await freePort());
  const sandbox = { url: input.sandbox.url, token: input.sandbox.token, openLeads: 0, exampleLeadId: null, close: async () => {} };
  return startHttpService({
    connections: { connectors: input.connectors ?? [], ...(input.awaitingInstall && { awaitingInstall: input.awaitingInstall }), store: input.store, sandbox, close: async () => {} },
    ...(input.connectionRecheckMs !== undefined && { connectionRecheckMs: input.connectionRecheckMs }),
    config: input.config,
    manifest: loadManifest(),
    port,
    host: '127.0.0.1',
    env: {
      LEADLIFT_ADMIN_USER: ADMIN.user,
      LEADLIFT_ADMIN_PASSWORD: ADMIN.password,
      LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789',
      LEADLIFT_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...input.env,
    },
    logger: input.logger ?? pino({ level: 'silent' }),
  });
}


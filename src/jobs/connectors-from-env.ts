import { SQLITE_FILE } from '../store/sqlite-connection.js';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Connector, CrmName } from '../../connectors/types.js';
import { createHubspotConnector, hubspotConfigFromEnv, type HubspotConfigInput } from '../../connectors/hubspot/index.js';
import { CRM_SELECTING_SETTINGS } from '../../connectors/shared/store-selecting-settings.js';
import { ConfigError, LeadliftError } from '../domain/errors.js';
import { loadManifest } from '../domain/manifest.js';
import { createPrivateFolder } from '../store/private-files.js';
import { openStore, type Store } from '../store/store.js';
import { demoSeedSize, LOCAL_SANDBOX_LIMITS, startLocalSandboxInWorker, type LocalSandbox } from './local-sandbox.js';
import { configuredCrms, planLoopStore, sayIgnoredDatabaseUrl } from './loop-store.js';
import { hubspotTokenProvider } from './oauth-token-provider.js';
import { saveRefreshedHubspotTokens } from './stored-token-save.js';
import { assertPortFree, portInUseOr, type PortNeed } from './port-in-use.js';
import { acquireSandboxLock, type SandboxLock } from './sandbox-lock.js';

/**
 * Which CRMs the loop talks to, from the environment (see .env.example):
 * - HubSpot: HUBSPOT_ACCESS_TOKEN (private app or OAuth access token), HUBSPOT_BASE_URL (another
 *   API root, e.g. a sandbox started with `leadlift sandbox`), or an OAuth app (HUBSPOT_CLIENT_ID,
 *   HUBSPOT_CLIENT_SECRET and HUBSPOT_REFRESH_TOKEN, or the tokens the install flow stored).
 * - Salesforce: the SALESFORCE_* settings its connector reads.
 * With no settings for the CRMs asked for, a local sandbox serves them in-process. It keeps its
 * contacts in LEADLIFT_HOME/sandbox/state.json and the loop's store beside it, so scores written
 * to the sandbox and the store's record of them always belong together. One process at a time owns
 * that folder (LEADLIFT_HOME/sandbox.lock): a second one is refused before it deletes or opens
 * anything, and so is one whose ports are taken.
 */

export interface LoopConnections {
  connectors: Connector[];
  /** CRMs configured as an OAuth app but not installed yet (only with ConnectOptions.awaitInstall). */
  awaitingInstall?: CrmName[];
  /**
   * CRMs whose connector was built from an OAuth install's tokens in the store (not from the
   * environment or the sandbox): `serve` watches those tokens, since another instance sharing the
   * store may reconnect or disconnect the CRM (stored-connections.ts).
   */
  fromStore?: CrmName[];
  store: Store;
  /** The in-process sandbox, when one was started. */
  sandbox: LocalSandbox | null;
  /**
   * Closes the store and the sandbox and releases the sandbox lock. A failed final save of the
   * sandbox rejects (LocalSandboxSaveError, exit 1), after everything is closed; with `failing`
   * (the command is ending on another error, which must stay the one reported) it is a warning.
   */
  close(options?: { failing?: boolean }): Promise<void>;
}

export interface ConnectOptions {
  /** Only this CRM (`--crm`); default every configured CRM, or HubSpot in the sandbox when none is. */
  crm?: CrmName;
  env?: NodeJS.ProcessEnv;
  /** Port for an in-process sandbox (0 = any free port). */
  sandboxPort?: number;
  /** What moves the sandbox to another port, for the port-in-use error (default: LEADLIFT_SANDBOX_PORT=N). */
  sandboxPortSetting?: string;
  /** Ports the caller listens on next (the admin pages): checked before anything is deleted or started. */
  ports?: PortNeed[];
  /** Start the in-process sandbox from a fresh seed, forgetting the previous one and its store. */
  freshSandbox?: boolean;
  /** Keep the in-process sandbox's contacts in a state file between runs (default true; `start` begins fresh each time). */
  persistSandbox?: boolean;
  /**
   * `serve`: a HubSpot OAuth app with no tokens yet is not an error but a CRM to install from the
   * admin page, which `serve` itself serves; it is listed in `awaitingInstall` instead.
   */
  awaitInstall?: boolean;
  /**
   * `serve`'s and `start`'s log, so what connecting says is one of its events (json under
   * LOG_FORMAT=json): a schema upgrade at info, an ignored DATABASE_URL and the like at warn.
   * Without it (`run` and the other commands) those are `leadlift: ` lines on stderr.
   */
  log?: ConnectLog;
}

/** The two levels connecting speaks at; a pino Logger is one. */
export interface ConnectLog {
  info(message: string): void;
  warn(message: string): void;
}

export function hasHubspotEnv(env: NodeJS.ProcessEnv): boolean {
  return CRM_SELECTING_SETTINGS.hubspot.some((k) => nonEmpty(env[k]));
}

export async function connectFromEnv(options: ConnectOptions = {}): Promise<LoopConnections> {
  const env = options.env ?? process.env;
  const salesforce = await salesforceModule();
  const configured = await configuredCrms(env, hasHubspotEnv);
  const plan = planLoopStore(configured, env, options.crm);
  const { wanted, sandboxed, home, sandboxDir } = plan;
  const log = options.log;
  sayIgnoredDatabaseUrl(plan, log ? (message) => log.warn(message) : undefined);
  const storeOptions = log ? { ...plan.store, log: (line: string) => log.info(line) } : plan.store;

  let sandbox: LocalSandbox | null = null;
  let sandboxLock: SandboxLock | null = null;
  let store: Store;
  if (sandboxDir) {
    const lock = acquireSandboxLock(home);
    try {
      const sandboxPort = { port: options.sandboxPort ?? 0, host: '127.0.0.1', setting: options.sandboxPortSetting ?? 'LEADLIFT_SANDBOX_PORT=N' };
      for (const need of [sandboxPort, ...(options.ports ?? [])]) await assertPortFree(need);
      const dir = sandboxDir;
      const stateFile = join(dir, 'state.json');
      const persist = options.persistSandbox ?? true;
      if (options.freshSandbox || !persist || !existsSync(stateFile)) {
        // `npm start` keeps no state file: a later `run`/`serve` on the sandbox starts over from the seed. Said, not silent.
        if (!options.freshSandbox && persist && existsSync(join(dir, SQLITE_FILE))) {
          const note = `The local sandbox in ${dir} was left by \`npm start\` (which begins fresh each time and keeps no contacts): starting it again from the seed, with a new store.`;
          if (log) log.info(note);
          else process.stderr.write(`${note}\n`);
        }
        rmSync(dir, { recursive: true, force: true });
      }
      // The sandbox's contacts and the store live here: private, as the store's own folder is.
      createPrivateFolder(dir);
      // Loading the full seed takes half a minute before anything else is said: said first, each time
      // it is read (no state file yet, or one that lacks a CRM asked for), never on a plain restart.
      const onSeeding = () => {
        const seed = demoSeedSize();
        const note = `Seeding the local sandbox with ${seed.leads.toLocaleString('en-US')} leads from ${seed.file}…`;
        if (log) log.info(note);
        else process.stderr.write(`${note}\n`);
      };
      const crm = sandboxed.length === 2 ? 'both' : sandboxed[0];
      sandbox = await startLocalSandboxInWorker({ crm, port: sandboxPort.port, stateFile: persist ? stateFile : undefined }, { onSeeding }).catch((err: unknown) => {
        throw portInUseOr(err, sandboxPort);
      });
      store = await openStore(storeOptions).catch(async (err: unknown) => {
        await closeSandboxWhileFailing(sandbox, log);
        throw err;
      });
    } catch (err) {
      lock.release();
      throw err;
    }
    sandboxLock = lock;
  } else {
    checkCrmSettings(wanted, env, salesforce);
    for (const need of options.ports ?? []) await assertPortFree(need);
    store = await openStore(storeOptions);
  }

  const connectors: Connector[] = [];
  const awaitingInstall: CrmName[] = [];
  const fromStore: CrmName[] = [];
  try {
    for (const crm of wanted) {
      if (crm === 'hubspot') {
        const hubspot = await hubspotConnector(env, store, sandbox).catch((err: unknown) => {
          if (options.awaitInstall && err instanceof HubspotNotInstalledError) return null;
          throw err;
        });
        if (hubspot) connectors.push(hubspot);
        else awaitingInstall.push('hubspot');
        if (hubspot && !sandbox && hubspotFromStoredInstall(env)) fromStore.push('hubspot');
      } else if (options.awaitInstall && !sandbox && (await salesforceAwaitsInstall(salesforce, env, store))) awaitingInstall.push('salesforce');
      else {
        connectors.push(await salesforceConnector(salesforce, env, store, sandbox));
        if (!sandbox && salesforceFromStoredInstall(salesforce, env)) fromStore.push('salesforce');
      }
    }
  } catch (err) {
    await store.close();
    await closeSandboxWhileFailing(sandbox, log);
    sandboxLock?.release();
    throw err;
  }
  return {
    connectors,
    ...(awaitingInstall.length > 0 && { awaitingInstall }),
    ...(fromStore.length > 0 && { fromStore }),
    store,
    sandbox,
    async close({ failing = false } = {}) {
      try {
        await store.close();
        await (failing ? closeSandboxWhileFailing(sandbox, log) : sandbox?.close());
      } finally {
        sandboxLock?.release();
      }
    },
  };
}

/**
 * Closes the sandbox on the way out of an error: a failed final save is said as a warning (the
 * log's, else a `leadlift: warning:` line) so that the error ending the command stays the one reported.
 */
async function closeSandboxWhileFailing(sandbox: LocalSandbox | null, log: ConnectOptions['log']): Promise<void> {
  await sandbox?.close().catch((err: unknown) => {
    const message = (err as Error).message;
    if (log) log.warn(message);
    else process.stderr.write(`leadlift: warning: ${message}\n`);
  });
}

/** A HubSpot OAuth app (client id and secret) with no tokens yet: installed from `serve`'s admin page. */
export class HubspotNotInstalledError extends ConfigError {
  constructor() {
    super('HUBSPOT_REFRESH_TOKEN', 'no HubSpot tokens yet: run `npx leadlift serve` and connect HubSpot from its install page (/install), or set HUBSPOT_REFRESH_TOKEN or HUBSPOT_ACCESS_TOKEN');
  }
}

/**
 * The configured CRMs' settings, read and checked before the store is opened: a bad one stops the
 * command (exit 2) with nothing made. Found after it, it left a new, empty LEADLIFT_HOME/leadlift.db
 * behind (or a migrated DATABASE_URL database), and that file then turned `forget` and `prune` on
 * the sandbox away as if a configured CRM's store held data.
 */
function checkCrmSettings(wanted: readonly CrmName[], env: NodeJS.ProcessEnv, salesforce: SalesforceModule | null): void {
  for (const crm of wanted) {
    if (crm === 'hubspot') hubspotSettings(env);
    else salesforce?.config.salesforceConfigFromEnv(env);
  }
}

/** HubSpot's settings from the environment, and the OAuth app when there is no access token. */
function hubspotSettings(env: NodeJS.ProcessEnv): { input: HubspotConfigInput; app: { clientId: string; clientSecret: string; basePath?: string } | null } {
  const input: HubspotConfigInput = hubspotConfigFromEnv(env);
  if (input.accessToken) return { input, app: null };
  const clientId = nonEmpty(env.HUBSPOT_CLIENT_ID);
  const clientSecret = nonEmpty(env.HUBSPOT_CLIENT_SECRET);
  if (!clientId || !clientSecret) {
    throw new ConfigError('HUBSPOT_ACCESS_TOKEN', 'is required (a private-app token), or set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET for an OAuth install');
  }
  return { input, app: { clientId, clientSecret, basePath: input.basePath } };
}

async function hubspotConnector(env: NodeJS.ProcessEnv, store: Store, sandbox: LocalSandbox | null): Promise<Connector> {
  if (sandbox) {
    return createHubspotConnector({
      accessToken: sandbox.token,
      basePath: sandbox.url,
      rateLimit: { requestsPerWindow: LOCAL_SANDBOX_LIMITS.hubspotRateLimit, searchPerSecond: LOCAL_SANDBOX_LIMITS.hubspotSearchRateLimit },
      // The sandbox's search has no index to wait for.
      search: { indexLagMs: 0 },
    });
  }
  const { input, app } = hubspotSettings(env);
  if (app) {
    const refreshToken = nonEmpty(env.HUBSPOT_REFRESH_TOKEN);
    if (refreshToken) {
      input.accessTokenProvider = hubspotTokenProvider(app, { refreshToken });
    } else {
      const stored = nonEmpty(env.LEADLIFT_SECRET_KEY) ? await store.tokens.load('hubspot') : null;
      if (!stored || typeof stored.refreshToken !== 'string') {
        throw new HubspotNotInstalledError();
      }
      input.accessTokenProvider = hubspotTokenProvider(
        app,
        { refreshToken: stored.refreshToken, accessToken: stored.accessToken as string | undefined, expiresAt: stored.expiresAt as number | undefined },
        saveRefreshedHubspotTokens(store.tokens, stored.refreshToken),
      );
    }
  }
  return createHubspotConnector(input, loadManifest());
}

interface SalesforceModule {
  config: { hasSalesforceEnv(env: NodeJS.ProcessEnv): boolean; salesforceConfigFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> };
  index: { createSalesforceConnector?: (input: Record<string, unknown>, vault?: unknown) => Connector } | null;
  vault: { storeTokenVault(tokens: Store['tokens']): unknown } | null;
}

/** The Salesforce connector is optional in a build; its absence is reported only when it is asked for. */
async function salesforceModule(): Promise<SalesforceModule | null> {
  try {
    const config = await import('../../connectors/salesforce/config.js');
    const index = await import('../../connectors/salesforce/index.js' as string).catch(() => null);
    const vault = await import('../../connectors/salesforce/token-vault.js').catch(() => null);
    return { config, index, vault } as SalesforceModule;
  } catch {
    return null;
  }
}

async function salesforceConnector(module: SalesforceModule | null, env: NodeJS.ProcessEnv, store: Store, sandbox: LocalSandbox | null): Promise<Connector> {
  const create = module?.index?.createSalesforceConnector;
  if (!module || !create) throw new LeadliftError('The Salesforce connector (connectors/salesforce) is not part of this build yet; run with --crm hubspot.');
  const input = sandbox ? { instanceUrl: sandbox.url, accessToken: sandbox.token } : module.config.salesforceConfigFromEnv(env);
  const vault = !sandbox && module.vault && nonEmpty(env.LEADLIFT_SECRET_KEY) ? module.vault.storeTokenVault(store.tokens) : undefined;
  return create(input, vault);
}

/**
 * A Salesforce connected app (OAuth, no username for JWT) with no saved tokens yet: as for HubSpot,
 * it waits for the install on `serve`'s Connections page instead of failing every cycle.
 */
async function salesforceAwaitsInstall(module: SalesforceModule | null, env: NodeJS.ProcessEnv, store: Store): Promise<boolean> {
  if (!module?.index?.createSalesforceConnector) return false;
  const input = module.config.salesforceConfigFromEnv(env) as { accessToken?: string; oauth?: unknown };
  if (input.accessToken || !input.oauth) return false;
  // Without a key no install can have saved tokens (the Connections page asks for one). A wrong
  // key or a failing store is said as it is, as for HubSpot: read as "not installed" it would hide
  // the fix and invite a reconnect that overwrites the tokens the right key still opens.
  const saved = nonEmpty(env.LEADLIFT_SECRET_KEY) ? await store.tokens.load('salesforce') : null;
  return !(typeof saved?.refreshToken === 'string' && saved.refreshToken !== '');
}

/** HubSpot as hubspotConnector builds it from the store's install: an OAuth app, no token in the environment. */
function hubspotFromStoredInstall(env: NodeJS.ProcessEnv): boolean {
  return hubspotSettings(env).app !== null && !nonEmpty(env.HUBSPOT_REFRESH_TOKEN);
}

/** Salesforce as salesforceConnector builds it from the store's install: a connected app, no access token in the environment. */
function salesforceFromStoredInstall(module: SalesforceModule | null, env: NodeJS.ProcessEnv): boolean {
  if (!module?.vault || !nonEmpty(env.LEADLIFT_SECRET_KEY)) return false;
  const input = module.config.salesforceConfigFromEnv(env) as { accessToken?: string; oauth?: unknown; jwt?: unknown };
  return !input.accessToken && Boolean(input.oauth) && !input.jwt;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

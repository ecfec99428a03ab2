import { join, resolve } from 'node:path';
import type { CrmName } from '../../connectors/types.js';
import { ConfigError } from '../domain/errors.js';
import { SQLITE_FILE } from '../store/sqlite-connection.js';
import type { StoreOptions } from '../store/store.js';

/**
 * Which CRMs the loop serves and which store holds their data, decided from the environment alone
 * (nothing is started or opened). With no settings for the CRMs asked for, the local sandbox
 * serves them and the store sits beside its state in LEADLIFT_HOME/sandbox; otherwise the store is
 * DATABASE_URL, else LEADLIFT_HOME. Shared by connectFromEnv and the commands (forget) that must
 * reach the loop's store without starting a CRM.
 */

export interface LoopStorePlan {
  wanted: CrmName[];
  configured: Record<CrmName, boolean>;
  /** The wanted CRMs the local sandbox serves (none configured). */
  sandboxed: CrmName[];
  /** LEADLIFT_HOME, resolved. */
  home: string;
  /** LEADLIFT_HOME/sandbox when sandboxed: the sandbox's state and store. */
  sandboxDir: string | null;
  store: StoreOptions;
  /**
   * Set when DATABASE_URL is set but not used (the sandbox's store is its own SQLite file): someone
   * trying PostgreSQL before connecting a CRM would otherwise think it is being exercised.
   */
  ignoredDatabaseUrl: string | null;
}

export function planLoopStore(configured: Record<CrmName, boolean>, env: NodeJS.ProcessEnv, crm?: CrmName): LoopStorePlan {
  let wanted: CrmName[] = crm ? [crm] : (['hubspot', 'salesforce'] as const).filter((c) => configured[c]);
  if (wanted.length === 0) wanted = ['hubspot'];
  const sandboxed = wanted.filter((c) => !configured[c]);
  const home = resolve(nonEmpty(env.LEADLIFT_HOME) ?? '.leadlift');
  if (sandboxed.length === 0) return { wanted, configured, sandboxed, home, sandboxDir: null, store: { home }, ignoredDatabaseUrl: null };
  if (configured.hubspot || configured.salesforce) {
    // Mixing a real CRM with the sandbox would put sandbox records in the real CRM's store.
    const missing = sandboxed.join(' and ');
    throw new ConfigError(missing === 'hubspot' ? 'HUBSPOT_ACCESS_TOKEN' : 'SALESFORCE_INSTANCE_URL', `--crm ${missing} has no settings while another CRM is configured; set its settings (see .env.example) or run without --crm`);
  }
  const sandboxDir = join(home, 'sandbox');
  // The sandbox's store is always SQLite beside its state, whatever DATABASE_URL says.
  const ignoredDatabaseUrl = nonEmpty(env.DATABASE_URL)
    ? `DATABASE_URL is set but not used: with no CRM configured, leadlift runs on the local sandbox, whose store is always SQLite beside its state (${join(sandboxDir, SQLITE_FILE)}). Configure a CRM (see .env.example) to use the PostgreSQL database DATABASE_URL names.`
    : null;
  return { wanted, configured, sandboxed, home, sandboxDir, store: { home: sandboxDir, databaseUrl: '' }, ignoredDatabaseUrl };
}

let ignoredUrlSaid = false;

/**
 * Says a plan's ignored DATABASE_URL, once per process (`serve` may connect more than once): by
 * default a `leadlift: warning:` line on stderr; `serve` and `start` pass their log's warn.
 */
export function sayIgnoredDatabaseUrl(plan: LoopStorePlan, warn: (message: string) => void = (message) => process.stderr.write(`leadlift: warning: ${message}\n`)): void {
  if (!plan.ignoredDatabaseUrl || ignoredUrlSaid) return;
  ignoredUrlSaid = true;
  warn(plan.ignoredDatabaseUrl);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** The CRMs with settings in `env`, as connectFromEnv reads them (the Salesforce connector may be absent from a build). */
export async function configuredCrms(env: NodeJS.ProcessEnv, hasHubspotEnv: (env: NodeJS.ProcessEnv) => boolean): Promise<Record<CrmName, boolean>> {
  const salesforce = await import('../../connectors/salesforce/config.js').catch(() => null);
  return { hubspot: hasHubspotEnv(env), salesforce: salesforce?.hasSalesforceEnv(env) ?? false };
}

import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { CrmName } from '../../connectors/types.js';
import { hasHubspotEnv } from '../jobs/connectors-from-env.js';
import { configuredCrms, planLoopStore, sayIgnoredDatabaseUrl, type LoopStorePlan } from '../jobs/loop-store.js';
import { SQLITE_FILE } from '../store/sqlite-connection.js';
import { CrmStoreNotSelectedError } from './crm-store-not-selected-error.js';

// What the commands that work on the loop's store without starting a CRM (forget, prune) share.

/** The store `leadlift run` uses (for `crm`, else for every configured CRM), with run's warning when DATABASE_URL is not it. */
export async function loopStorePlan(crm?: CrmName): Promise<LoopStorePlan> {
  const plan = planLoopStore(await configuredCrms(process.env, hasHubspotEnv), process.env, crm);
  sayIgnoredDatabaseUrl(plan);
  return plan;
}

/**
 * Why there is no store to open, or null when there is one. The local sandbox's store exists once
 * the sandbox has run; opening it before would create an empty one and hide a wrong LEADLIFT_HOME.
 * Throws when the configured CRM's store is elsewhere (LEADLIFT_HOME/leadlift.db exists, or
 * DATABASE_URL is set): the CRM settings are missing from this shell, and `nothingDone` says what
 * was therefore not done.
 */
export function missingSandboxStore(plan: LoopStorePlan, elsewhere: { crms: CrmName[]; nothingDone: string }): string | null {
  if (!plan.sandboxDir) return null;
  const sandboxStore = join(plan.sandboxDir, SQLITE_FILE);
  if (existsSync(sandboxStore)) return null;
  const crmStore = join(plan.home, SQLITE_FILE);
  if (existsSync(crmStore)) throw new CrmStoreNotSelectedError(sandboxStore, { file: crmStore }, elsewhere.crms, elsewhere.nothingDone);
  // A DATABASE_URL with no sandbox store is a PostgreSQL deployment run without its CRM settings.
  if (plan.ignoredDatabaseUrl) throw new CrmStoreNotSelectedError(sandboxStore, { databaseUrl: true }, elsewhere.crms, elsewhere.nothingDone);
  return `No leadlift store in ${plan.sandboxDir}: the local sandbox has not run with LEADLIFT_HOME=${plan.home}`;
}

/** Who ran it, for the audit log: the operating-system account, as logins are on the admin pages. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

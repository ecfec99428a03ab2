import { CRM_SELECTING_SETTINGS } from '../../connectors/shared/store-selecting-settings.js';
import type { CrmName } from '../../connectors/types.js';
import { InputError } from '../domain/errors.js';

/** "A, B, C or D": the settings any one of which selects the CRM's store. */
function anyOf(crm: CrmName): string {
  const keys = CRM_SELECTING_SETTINGS[crm];
  return `${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}`;
}

/** Where the configured CRM's store is: a SQLite file that exists, or the database DATABASE_URL names (never echoed: it may hold a password). */
export type CrmStore = { file: string } | { databaseUrl: true };

/**
 * The shell lacks the CRM settings `serve` ran with, so leadlift looked for the sandbox's store, yet
 * the real CRM's store is elsewhere: LEADLIFT_HOME's SQLite file, or DATABASE_URL's database.
 * Succeeding here would tell someone erasing a lead that it is done while every row stays (and no
 * id reaches the suppression list).
 */
export class CrmStoreNotSelectedError extends InputError {
  constructor(
    readonly sandboxStore: string,
    readonly crmStore: CrmStore,
    crms: CrmName[],
    nothingDone: string,
  ) {
    const found =
      'file' in crmStore
        ? `but ${crmStore.file} exists: the store \`leadlift serve\` and \`leadlift run\` use once a CRM is configured.`
        : "but DATABASE_URL is set: its database is the store `leadlift serve` and `leadlift run` use once a CRM is configured, and without a CRM setting this command does not open it.";
    const target = 'file' in crmStore ? crmStore.file : "DATABASE_URL's database";
    super(
      [
        `No leadlift store at ${sandboxStore} (the local sandbox's, used when no CRM is configured), ${found}`,
        `No ${crms.join(' or ')} setting is set here, so this command looked for the sandbox's store. ${crms.map((crm) => `Any of ${anyOf(crm)} selects ${target} for ${crm}`).join('; ')}${'file' in crmStore ? " (or DATABASE_URL's database when DATABASE_URL is set)" : ''}.`,
        `Run it with the settings serve runs with (the same .env in the current folder, or the same environment). ${nothingDone}`,
      ].join(' '),
    );
  }
}

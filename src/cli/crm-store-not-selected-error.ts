import type { CrmName } from '../../connectors/types.js';
import { InputError } from '../domain/errors.js';

// Which settings make leadlift use the CRM's store rather than the sandbox's (hasHubspotEnv,
// hasSalesforceEnv): any one of them is enough.
const SELECTING_SETTINGS: Record<CrmName, string> = {
  hubspot: 'HUBSPOT_ACCESS_TOKEN, HUBSPOT_BASE_URL, HUBSPOT_CLIENT_ID or HUBSPOT_REFRESH_TOKEN',
  salesforce: 'SALESFORCE_INSTANCE_URL, SALESFORCE_ACCESS_TOKEN, SALESFORCE_LOGIN_URL or SALESFORCE_CLIENT_ID',
};

/**
 * The shell lacks the CRM settings `serve` ran with, so leadlift looked for the sandbox's store, yet
 * LEADLIFT_HOME holds the real CRM's store. Succeeding here would tell someone erasing a lead that
 * it is done while every row stays (and no id reaches the suppression list).
 */
export class CrmStoreNotSelectedError extends InputError {
  constructor(
    readonly sandboxStore: string,
    readonly crmStore: string,
    crms: CrmName[],
    nothingDone: string,
  ) {
    super(
      [
        `No leadlift store at ${sandboxStore} (the local sandbox's, used when no CRM is configured), but ${crmStore} exists: the store \`leadlift serve\` and \`leadlift run\` use once a CRM is configured.`,
        `No ${crms.join(' or ')} setting is set here, so this command looked for the sandbox's store. ${crms.map((crm) => `Any of ${SELECTING_SETTINGS[crm]} selects ${crmStore} for ${crm}`).join('; ')} (or DATABASE_URL's database when DATABASE_URL is set).`,
        `Run it with the settings serve runs with (the same .env in the current folder, or the same environment). ${nothingDone}`,
      ].join(' '),
    );
  }
}

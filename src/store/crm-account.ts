import type { CrmName } from '../../connectors/types.js';
import type { SettingsRepository } from './settings.js';

/**
 * Which CRM account (HubSpot portal, Salesforce org) a store's data of one CRM belongs to. Record
 * ids are numbered per account, so leads, outcomes, scores and models of one account must never
 * meet another's: the cycle compares the connected account with this one before it reads or
 * writes anything (src/jobs/crm-account-check.ts). A settings row, audited like the others.
 */
export interface CrmAccount {
  /** The portal's hub id (digits) or the org's 18-character id. */
  id: string;
  /** When it was first recorded. */
  since: string;
}

export const CRM_ACCOUNT_SETTING_PREFIX = 'crmAccount';

export function crmAccountSetting(crm: CrmName): string {
  return `${CRM_ACCOUNT_SETTING_PREFIX}.${crm}`;
}

/**
 * The form two ids of one account share: Salesforce ids come in 15- and 18-character forms (the 18
 * adds a checksum), and the 15 decide; a hub id is itself.
 */
export function accountKey(crm: CrmName, id: string): string {
  return crm === 'salesforce' ? id.slice(0, 15) : id;
}

/** The account recorded for `crm`, or null: a new store, or one from before accounts were recorded. */
export async function recordedCrmAccount(settings: SettingsRepository, crm: CrmName): Promise<CrmAccount | null> {
  const row = await settings.get<CrmAccount>(crmAccountSetting(crm));
  const value = row?.value;
  return value && typeof value.id === 'string' && value.id !== '' ? value : null;
}

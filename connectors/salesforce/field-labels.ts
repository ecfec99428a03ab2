import type { FieldDisplay } from '../types.js';
import type { ApiCaller } from './api-caller.js';
import type { SalesforceConfig } from './config.js';
import { describeObject } from './describe-object.js';

/**
 * The lead object's field labels and picklist value labels from describe, as a Salesforce user
 * sees them ("Lead Source is Partner Referral", not "LeadSource is Partner_Referral__c").
 */
export async function salesforceFieldLabels(caller: ApiCaller, config: SalesforceConfig): Promise<Record<string, FieldDisplay>> {
  const described = await describeObject(caller, config.object, `describing ${config.object} for field labels`);
  const out: Record<string, FieldDisplay> = {};
  for (const f of described.fields) {
    const picklist = (f.picklistValues ?? []).filter((v) => v.value && v.label);
    out[f.name] = {
      label: f.label,
      ...(picklist.length > 0 ? { options: Object.fromEntries(picklist.map((v) => [v.value, v.label as string])) } : {}),
    };
  }
  return out;
}

import type { OutcomeRule, ScoredObject } from '../types.js';
import type { SalesforceConfig } from './config.js';
import { sameStatus } from './outcome-rules.js';

/**
 * What the loop remembers of this connector's settings in the store: the object its records come
 * from (one store holds one), and the outcome rule its stored outcomes were derived with.
 */

/** Salesforce key prefixes: the first three characters of every record id name its object. */
const KEY_PREFIXES: Record<string, string> = { '00Q': 'Lead', '003': 'Contact' };

export function salesforceScoredObject(config: SalesforceConfig): ScoredObject {
  return { name: config.object, setting: 'SALESFORCE_OBJECT', objectOfId: (id) => KEY_PREFIXES[id.slice(0, 3)] ?? null };
}

export function salesforceOutcomeRule(config: SalesforceConfig): OutcomeRule {
  const { wonWhen, lostStatuses, lostWhenOpportunityLost } = config.outcome;
  // Status is matched ignoring case and spaces around it, so a spelling that matches alike is the same rule.
  const statuses = [...new Set(lostStatuses.map(sameStatus))].sort();
  return {
    // A Contact's outcome reads only its opportunities: Status and conversion settings do not change it.
    settings: config.object === 'Lead' ? { object: 'Lead', wonWhen, lostStatuses: statuses, lostWhenOpportunityLost } : { object: config.object, lostWhenOpportunityLost },
    describe:
      config.object === 'Lead'
        ? `SALESFORCE_OBJECT=Lead, SALESFORCE_WON_WHEN=${wonWhen} and SALESFORCE_LOST_STATUSES="${lostStatuses.join(',')}"`
        : 'SALESFORCE_OBJECT=Contact (a Contact is won by a Closed Won opportunity and lost when all of its opportunities closed lost)',
  };
}

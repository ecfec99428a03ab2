import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { neverInputMatcher } from '../../src/jobs/never-inputs.js';

/**
 * The default deny-lists (config/default.json loop.neverInputs) against real field names: those a
 * CRM fills in as a lead moves to its outcome, or keeps as bookkeeping, are never inputs; fields
 * known before the outcome stay inputs (README, "neverInputs").
 */
const config = loadConfig({ env: {} });
const manifest = loadManifest();

describe('default never-inputs', () => {
  it('HubSpot: the lifecycle-stage history in its v2 form and the times measured up to a conversion or a deal', () => {
    const never = neverInputMatcher(config, 'hubspot', manifest);
    const afterOutcome = [
      'hs_v2_date_entered_customer', 'hs_v2_date_exited_lead', 'hs_v2_date_entered_1066237962', 'hs_v2_date_entered_current_stage',
      'hs_v2_latest_time_in_opportunity', 'hs_v2_cumulative_time_in_customer', 'hs_v2_time_in_current_stage',
      'hs_time_to_move_from_lead_to_customer', 'hs_time_to_move_from_marketingqualifiedlead_to_customer',
      'hs_time_between_contact_creation_and_deal_close', 'hs_time_between_contact_creation_and_deal_creation', 'hs_current_customer',
    ];
    expect(afterOutcome.filter((f) => !never(f))).toEqual([]);
    const known = ['hs_analytics_source', 'jobtitle', 'industry', 'hs_analytics_num_page_views', 'hs_time_to_first_engagement'];
    expect(known.filter((f) => never(f))).toEqual([]);
  });

  it('HubSpot: other scores of the same outcome, recomputed once it is known, and the revenue a customer brings', () => {
    const never = neverInputMatcher(config, 'hubspot', manifest);
    const otherScores = ['hs_predictivecontactscore_v2', 'hs_predictivescoringtier', 'hs_predictivecontactscorebucket', 'hs_predictivecontactscore', 'hubspotscore', 'hs_analytics_revenue'];
    expect(otherScores.filter((f) => !never(f))).toEqual([]);
    // Known before the outcome: the visit counts and the first conversion (a form, not a sale) stay inputs.
    const known = ['hs_analytics_num_visits', 'first_conversion_event_name', 'num_conversion_events', 'hs_analytics_first_touch_converting_campaign'];
    expect(known.filter((f) => never(f))).toEqual([]);
  });

  it('Salesforce: owner-transfer and merge bookkeeping and the bounce message; the bounce date and Rating stay inputs', () => {
    const never = neverInputMatcher(config, 'salesforce', manifest);
    expect(['LastTransferDate', 'MasterRecordId', 'EmailBouncedReason'].filter((f) => !never(f))).toEqual([]);
    expect(['EmailBouncedDate', 'Rating', 'LeadSource', 'Industry', 'NumberOfEmployees'].filter((f) => never(f))).toEqual([]);
  });
});

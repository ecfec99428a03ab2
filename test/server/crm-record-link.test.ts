import { describe, expect, it } from 'vitest';
import { crmRecordUrl, isSalesforceHost } from '../../src/server/crm-record-link.js';

describe('a lead\'s link into its CRM', () => {
  it('is HubSpot\'s contact record in the portal, and Salesforce Lightning\'s lead view on the instance', () => {
    expect(crmRecordUrl({ crm: 'hubspot', portalId: 4_512_345 }, '901')).toBe('https://app.hubspot.com/contacts/4512345/record/0-1/901');
    expect(crmRecordUrl({ crm: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com/' }, '00Q5e00000AbCdE')).toBe('https://acme.my.salesforce.com/lightning/r/Lead/00Q5e00000AbCdE/view');
    expect(crmRecordUrl({ crm: 'hubspot', portalId: 1 }, '../x?y')).toBe('https://app.hubspot.com/contacts/1/record/0-1/..%2Fx%3Fy');
  });

  it('links only to Salesforce\'s own hosts, never to a sandbox instance', () => {
    expect(isSalesforceHost('https://acme.my.salesforce.com')).toBe(true);
    expect(isSalesforceHost('https://na1.force.com')).toBe(true);
    expect(isSalesforceHost('http://127.0.0.1:4150')).toBe(false);
    expect(isSalesforceHost('https://salesforce.com.evil.example')).toBe(false);
    expect(isSalesforceHost('not a url')).toBe(false);
  });
});

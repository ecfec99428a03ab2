import { describe, expect, it } from 'vitest';
import { salesforceConfigFromEnv } from '../../../connectors/salesforce/config.js';
import { ConfigError } from '../../../src/domain/errors.js';

const base = { SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com', SALESFORCE_ACCESS_TOKEN: 'secret-token' };

/** A bad value read from the environment is named by the variable the admin set, never by the connector's own key. */
describe('Salesforce settings from the environment: errors name the variable', () => {
  it.each([
    ['SALESFORCE_API_SHARE', '2', /^Configuration "SALESFORCE_API_SHARE": Number must be less than or equal to 1 \(it is "2"\)$/],
    ['SALESFORCE_OBJECT', 'Contacts', /^Configuration "SALESFORCE_OBJECT": Invalid enum value\. Expected 'Lead' \| 'Contact', received 'Contacts' \(it is "Contacts"\)$/],
    ['SALESFORCE_WON_WHEN', 'won', /^Configuration "SALESFORCE_WON_WHEN": Invalid enum value.*'opportunity-won' \| 'converted'/],
    ['SALESFORCE_INSTANCE_URL', 'acme', /^Configuration "SALESFORCE_INSTANCE_URL": must be a URL with its scheme, e\.g\. https:\/\/yourcompany\.my\.salesforce\.com .*\(it is "acme"\)$/],
  ])('%s=%s', (variable, value, message) => {
    const run = () => salesforceConfigFromEnv({ ...base, [variable]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    // Never the connector's own key (salesforce.instanceUrl …); an example host may say salesforce.com.
    expect(run).not.toThrow(/"salesforce\.[a-zA-Z]/);
  });

  it('the OAuth redirect URI is named too; a good value passes', () => {
    expect(() => salesforceConfigFromEnv({ ...base, SALESFORCE_CLIENT_ID: 'app', SALESFORCE_REDIRECT_URI: 'not a url' })).toThrow(/^Configuration "SALESFORCE_REDIRECT_URI": Invalid url/);
    expect(() => salesforceConfigFromEnv({ ...base, SALESFORCE_API_SHARE: '0.2' })).not.toThrow();
  });
});

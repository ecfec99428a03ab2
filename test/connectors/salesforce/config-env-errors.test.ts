import { describe, expect, it } from 'vitest';
import { salesforceConfigFromEnv } from '../../../connectors/salesforce/config.js';
import { ConfigError } from '../../../src/domain/errors.js';

const base = { SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com', SALESFORCE_ACCESS_TOKEN: 'secret-token' };

/** A bad value read from the environment is named by the variable the admin set, never by the connector's own key. */
describe('Salesforce settings from the environment: errors name the variable', () => {
  it.each([
    ['SALESFORCE_API_SHARE', '2', /^Configuration "SALESFORCE_API_SHARE": must be a share of the org's daily API requests above 0 and at most 1, e\.g\. 0\.5 for half \(it is "2"\)$/],
    ['SALESFORCE_OBJECT', 'Contacts', /^Configuration "SALESFORCE_OBJECT": must be Lead or Contact \(it is "Contacts"\)$/],
    ['SALESFORCE_WON_WHEN', 'won', /^Configuration "SALESFORCE_WON_WHEN": must be opportunity-won or converted \(it is "won"\)$/],
    ['SALESFORCE_INSTANCE_URL', 'acme', /^Configuration "SALESFORCE_INSTANCE_URL": must be a URL that starts with http:\/\/ or https:\/\/, e\.g\. https:\/\/yourcompany\.my\.salesforce\.com .*\(it is "acme"\)$/],
  ])('%s=%s', (variable, value, message) => {
    const run = () => salesforceConfigFromEnv({ ...base, [variable]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    // Never the connector's own key (salesforce.instanceUrl …); an example host may say salesforce.com.
    expect(run).not.toThrow(/"salesforce\.[a-zA-Z]/);
  });

  it('the OAuth redirect URI is named too; a good value passes', () => {
    expect(() => salesforceConfigFromEnv({ ...base, SALESFORCE_CLIENT_ID: 'app', SALESFORCE_REDIRECT_URI: 'not a url' })).toThrow(/^Configuration "SALESFORCE_REDIRECT_URI": must be the URL of this server's Salesforce callback, e\.g\. https:\/\/leadlift\.example\.com\/install\/salesforce\/callback \(it is "not a url"\)$/);
    expect(() => salesforceConfigFromEnv({ ...base, SALESFORCE_API_SHARE: '0.2' })).not.toThrow();
  });
});

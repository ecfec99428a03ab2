import { describe, expect, it } from 'vitest';
import { hubspotConfigFromEnv, parseHubspotConfig } from '../../connectors/hubspot/config.js';
import { parseSalesforceConfig, salesforceConfigFromEnv } from '../../connectors/salesforce/config.js';
import { ConfigError } from '../../src/domain/errors.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';

/**
 * A CRM address has one check (connectors/shared/url-setting.ts), whether it comes from an
 * environment variable or from settings given to the connector (code, a file): the same words,
 * named by the variable or by the setting's key.
 */
const problem = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('Salesforce addresses given in settings, not the environment', () => {
  it('refuses a URL without http(s)://, naming the key and what a good one looks like', () => {
    const instance = problem(() => parseSalesforceConfig({ instanceUrl: 'localhost:4010', accessToken: 't' }));
    expect(instance.key).toBe('salesforce.instanceUrl');
    expect(instance.message).toBe('Configuration "salesforce.instanceUrl": must be a URL that starts with http:// or https://, e.g. https://yourcompany.my.salesforce.com or http://127.0.0.1:4010 for a sandbox');
    const login = problem(() => parseSalesforceConfig({ loginUrl: 'ftp://login.salesforce.com', oauth: { clientId: 'c', redirectUri: 'https://x.example/cb' } }));
    expect(login.key).toBe('salesforce.loginUrl');
    expect(login.message).toContain('must be a URL that starts with http:// or https://, e.g. https://login.salesforce.com or https://test.salesforce.com');
  });

  it('drops a trailing slash as the environment reader does', () => {
    const config = parseSalesforceConfig({ instanceUrl: 'http://127.0.0.1:4262/', accessToken: 't', loginUrl: 'https://test.salesforce.com//' });
    expect(config.instanceUrl).toBe('http://127.0.0.1:4262');
    expect(config.loginUrl).toBe('https://test.salesforce.com');
  });

  it('says the same as the environment check, which adds the variable and the value typed', () => {
    const fromEnv = problem(() => salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: 'localhost:4010', SALESFORCE_ACCESS_TOKEN: 't' }));
    const fromSettings = problem(() => parseSalesforceConfig({ instanceUrl: 'localhost:4010', accessToken: 't' }));
    expect(fromEnv.message).toBe(`${fromSettings.message.replace('salesforce.instanceUrl', 'SALESFORCE_INSTANCE_URL')} (it is "localhost:4010")`);
  });
});

describe('HUBSPOT_BASE_URL and hubspot.basePath', () => {
  it('one wording for both', () => {
    const fromEnv = problem(() => hubspotConfigFromEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-x', HUBSPOT_BASE_URL: 'api.hubapi.com' }));
    const fromSettings = problem(() => parseHubspotConfig({ accessToken: 'pat-x', basePath: 'api.hubapi.com' }));
    expect(fromSettings.message).toBe('Configuration "hubspot.basePath": must be a URL that starts with http:// or https://, e.g. https://api.hubapi.com (HubSpot itself, the default) or http://127.0.0.1:4010 for a sandbox');
    expect(fromEnv.message).toBe(`${fromSettings.message.replace('hubspot.basePath', 'HUBSPOT_BASE_URL')} (it is "api.hubapi.com")`);
  });

  it('the server (install flows) checks it, and SALESFORCE_LOGIN_URL, as the connectors do', () => {
    expect(problem(() => serverSettingsFromEnv({ HUBSPOT_BASE_URL: '127.0.0.1:4010' }, 0)).key).toBe('HUBSPOT_BASE_URL');
    expect(problem(() => serverSettingsFromEnv({ SALESFORCE_LOGIN_URL: 'test.salesforce.com' }, 0)).key).toBe('SALESFORCE_LOGIN_URL');
    const settings = serverSettingsFromEnv({ HUBSPOT_BASE_URL: 'http://127.0.0.1:4010/', SALESFORCE_LOGIN_URL: 'https://test.salesforce.com/' }, 0);
    expect(settings.hubspot.apiBase).toBe('http://127.0.0.1:4010');
    expect(settings.salesforce.loginUrl).toBe('https://test.salesforce.com');
  });
});

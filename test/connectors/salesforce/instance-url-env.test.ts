import { describe, expect, it } from 'vitest';
import { salesforceConfigFromEnv } from '../../../connectors/salesforce/config.js';
import { ConfigError } from '../../../src/domain/errors.js';

describe('SALESFORCE_INSTANCE_URL and SALESFORCE_LOGIN_URL as admins type them', () => {
  it('drops a trailing slash (jsforce would ask for //services/data/…)', () => {
    const input = salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:4262/', SALESFORCE_ACCESS_TOKEN: 't', SALESFORCE_LOGIN_URL: 'https://test.salesforce.com//' });
    expect(input.instanceUrl).toBe('http://127.0.0.1:4262');
    expect(input.loginUrl).toBe('https://test.salesforce.com');
  });

  it('refuses a value without http(s)://, naming the variable and what a good one looks like', () => {
    let err: unknown;
    try {
      salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: '127.0.0.1:4262', SALESFORCE_ACCESS_TOKEN: 't' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('SALESFORCE_INSTANCE_URL');
    expect((err as Error).message).toContain('must be a URL that starts with http:// or https://, e.g. https://yourcompany.my.salesforce.com');
    expect((err as Error).message).toContain('(it is "127.0.0.1:4262")');
  });
});

describe('SALESFORCE_OBJECT and SALESFORCE_WON_WHEN ignore case, as Salesforce names do', () => {
  it('reads "contact" as Contact and "Converted" as converted; a value that is neither is still refused', () => {
    const input = salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com', SALESFORCE_ACCESS_TOKEN: 't', SALESFORCE_OBJECT: 'contact', SALESFORCE_WON_WHEN: 'Converted' });
    expect(input.object).toBe('Contact');
    expect(input.outcome?.wonWhen).toBe('converted');
    expect(() => salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com', SALESFORCE_ACCESS_TOKEN: 't', SALESFORCE_OBJECT: 'Opportunity' })).toThrow(/SALESFORCE_OBJECT/);
  });
});

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
    expect((err as Error).message).toContain('must be a URL with its scheme, e.g. https://yourcompany.my.salesforce.com');
    expect((err as Error).message).toContain('(it is "127.0.0.1:4262")');
  });
});

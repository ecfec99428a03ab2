import { describe, expect, it } from 'vitest';
import { hubspotConfigFromEnv, parseHubspotConfig } from '../../../connectors/hubspot/config.js';
import { ConfigError } from '../../../src/domain/errors.js';
import { allPages, startHubspotFixture } from './sandbox-fixture.js';

/**
 * HUBSPOT_BASE_URL=http://127.0.0.1:4751/ gave "No route for GET //crm/v3/properties/contacts";
 * HUBSPOT_BASE_URL=127.0.0.1:4751 gave 'Configuration "hubspot.basePath": Invalid url'.
 */
describe('HUBSPOT_BASE_URL', () => {
  it('works with a trailing slash, against a sandbox', async () => {
    const fx = await startHubspotFixture({ leads: 5, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    try {
      const env = hubspotConfigFromEnv({ HUBSPOT_ACCESS_TOKEN: fx.sandbox.token, HUBSPOT_BASE_URL: `${fx.sandbox.url}//` });
      expect(env.basePath).toBe(fx.sandbox.url);
      const pages = await allPages(fx.connector({ basePath: `${fx.sandbox.url}/` }).pullLeads(null));
      expect(pages.flatMap((p) => p.records)).toHaveLength(5);
    } finally {
      await fx.close();
    }
  });

  it.each(['127.0.0.1:4751', 'localhost:4010', 'api.hubapi.com', 'ftp://example.com', 'htp://127.0.0.1:4010'])('names the variable and says what a valid value looks like: %s', (value) => {
    const run = () => hubspotConfigFromEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-x', HUBSPOT_BASE_URL: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      `Configuration "HUBSPOT_BASE_URL": must be a URL that starts with http:// or https://, e.g. https://api.hubapi.com (HubSpot itself, the default) or http://127.0.0.1:4010 for a sandbox (it is "${value}")`,
    );
  });

  it('a basePath given in code drops its trailing slash too, and must be http(s)', () => {
    expect(parseHubspotConfig({ accessToken: 'pat-x', basePath: 'https://api.hubapi.com/' }).basePath).toBe('https://api.hubapi.com');
    expect(() => parseHubspotConfig({ accessToken: 'pat-x', basePath: 'localhost:4010' })).toThrow(/hubspot\.basePath/);
  });
});

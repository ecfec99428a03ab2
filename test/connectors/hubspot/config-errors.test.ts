import { describe, expect, it } from 'vitest';
import { ApiException } from '@hubspot/api-client/lib/codegen/crm/contacts/apis/exception.js';
import { ConfigError } from '../../../src/domain/errors.js';
import { parseHubspotConfig, HubspotScopeError, HubspotRequestError } from '../../../connectors/hubspot/index.js';
import { translate } from '../../../connectors/hubspot/api-caller.js';

describe('HubSpot connector settings', () => {
  it('fills HubSpot\'s published limits as defaults', () => {
    const config = parseHubspotConfig({ accessToken: 'pat-x' });
    expect(config).toMatchObject({
      basePath: 'https://api.hubapi.com',
      rateLimit: { requestsPerWindow: 100, windowMs: 10_000, share: 0.5, searchPerSecond: 5 },
      batch: { listSize: 100, writeSize: 100, readSize: 100 },
      search: { pageSize: 200 },
      outcome: { wonLifecycleStages: ['customer'], lostLeadStatuses: ['UNQUALIFIED'] },
    });
  });

  it.each([
    [{ accessToken: 'pat-x', rateLimit: { share: 2 } }, 'hubspot.rateLimit.share'],
    [{ accessToken: 'pat-x', batch: { writeSize: 250 } }, 'hubspot.batch.writeSize'],
    [{ accessToken: 'pat-x', rateLimits: {} }, 'hubspot.rateLimits'],
    [{ basePath: 'http://127.0.0.1:4010' }, 'hubspot.accessToken'],
  ])('names the key of a bad setting: %j', (input, key) => {
    const err = (() => {
      try {
        parseHubspotConfig(input);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.key).toBe(key);
  });
});

describe('HubSpot error translation', () => {
  it('turns HubSpot\'s MISSING_SCOPES answer into the scope the admin must grant', () => {
    const body = {
      status: 'error',
      message: "This app hasn't been granted all required scopes to make this call.",
      category: 'MISSING_SCOPES',
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
    };
    const err = translate(new ApiException(403, 'An error occurred.', body, {}), 'writing scores to 100 contacts', ['secret-token']);
    expect(err).toBeInstanceOf(HubspotScopeError);
    expect(err.message).toMatch(/lacks the scope crm\.objects\.contacts\.write/);
  });

  it('never repeats a token that HubSpot echoes back in its message', () => {
    const body = { status: 'error', message: 'Bad token secret-token-123 for portal', category: 'VALIDATION_ERROR' };
    const err = translate(new ApiException(400, 'An error occurred.', body, {}), 'reading contacts', ['secret-token-123']);
    expect(err).toBeInstanceOf(HubspotRequestError);
    expect(err.message).not.toContain('secret-token-123');
    expect(err.message).toContain('[redacted]');
  });
});

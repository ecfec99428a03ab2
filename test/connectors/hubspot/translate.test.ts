import { describe, expect, it } from 'vitest';
import { translate } from '../../../connectors/hubspot/api-caller.js';
import { HubspotRequestError } from '../../../connectors/hubspot/errors.js';

describe('HubSpot error translation', () => {
  it('keeps a token in a network failure out of the message and out of any cause a logger would print', () => {
    const token = 'pat-na1-11111111-2222-3333-4444-555555555555';
    const raw = Object.assign(new Error(`request to https://api.hubapi.com/oauth/v1/access-tokens/${token} failed, reason: ECONNRESET`), { type: 'system', errno: 'ECONNRESET' });
    const err = translate(raw, 'reading the token info', [token]);
    expect(err.message).not.toContain(token);
    expect(JSON.stringify({ message: err.message, stack: err.stack, cause: String((err as { cause?: unknown }).cause ?? '') })).not.toContain(token);
    expect(err.message).toMatch(/ECONNRESET/);
  });

  it('reads the properties a VALIDATION_ERROR says do not exist from the list HubSpot embeds in its message', () => {
    const list = [
      { isValid: false, message: 'Property "leadlift_score" does not exist', error: 'PROPERTY_DOESNT_EXIST', name: 'leadlift_score', localizedErrorMessage: 'x', portalId: 1 },
      { isValid: false, message: 'Lukewarm was not one of the allowed options', error: 'INVALID_OPTION', name: 'leadlift_tier', localizedErrorMessage: 'x', portalId: 1 },
    ];
    const body = { status: 'error', message: `Property values were not valid: ${JSON.stringify(list)}`, correlationId: 'c', category: 'VALIDATION_ERROR' };
    const err = translate({ code: 400, body }, 'writing scores to 2 contacts', []);
    expect(err).toBeInstanceOf(HubspotRequestError);
    expect((err as HubspotRequestError).missingProperties).toEqual(['leadlift_score']);
    const other = translate({ code: 400, body: { ...body, message: 'Duplicate IDs found in batch input: [1]. IDs must be unique' } }, 'writing scores', []);
    expect((other as HubspotRequestError).missingProperties).toEqual([]);
  });
});

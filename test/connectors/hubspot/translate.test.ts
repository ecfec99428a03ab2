import { describe, expect, it } from 'vitest';
import { translate } from '../../../connectors/hubspot/api-caller.js';

describe('HubSpot error translation', () => {
  it('keeps a token in a network failure out of the message and out of any cause a logger would print', () => {
    const token = 'pat-na1-11111111-2222-3333-4444-555555555555';
    const raw = Object.assign(new Error(`request to https://api.hubapi.com/oauth/v1/access-tokens/${token} failed, reason: ECONNRESET`), { type: 'system', errno: 'ECONNRESET' });
    const err = translate(raw, 'reading the token info', [token]);
    expect(err.message).not.toContain(token);
    expect(JSON.stringify({ message: err.message, stack: err.stack, cause: String((err as { cause?: unknown }).cause ?? '') })).not.toContain(token);
    expect(err.message).toMatch(/ECONNRESET/);
  });
});

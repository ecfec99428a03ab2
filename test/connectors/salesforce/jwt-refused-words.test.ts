import { describe, expect, it } from 'vitest';
import { SalesforceGrantError } from '../../../connectors/salesforce/errors.js';

/** Salesforce's error_description for a refused JWT sign-in points to one setting; the message names it. */
describe('a refused JWT bearer sign-in names what to check', () => {
  const message = (detail?: string) => new SalesforceGrantError(detail, 'jwt').message;

  it('a user not pre-authorized: SALESFORCE_USERNAME and the app\'s Permitted Users', () => {
    const text = message("user hasn't approved this consumer");
    expect(text).toMatch(/^Salesforce refused the JWT bearer sign-in \(invalid_grant\) \(Salesforce said: user hasn't approved this consumer\): check that SALESFORCE_USERNAME is pre-authorized/);
    expect(text).toContain('"Admin approved users are pre-authorized"');
    expect(text).not.toContain('SALESFORCE_LOGIN_URL');
  });

  it('a wrong audience: SALESFORCE_LOGIN_URL, with the sandbox org\'s login host', () => {
    const text = message('audience is invalid');
    expect(text).toContain('check that SALESFORCE_LOGIN_URL is the login host of the org');
    expect(text).toContain('https://test.salesforce.com for a sandbox org');
  });

  it('an expired assertion: this server\'s clock', () => {
    expect(message('expired authorization code')).toContain("check that this server's clock is right");
  });

  it('a description it does not know, or none: every check, and never the OAuth install page', () => {
    for (const text of [message('something new'), message()]) {
      expect(text).toContain('SALESFORCE_CLIENT_ID is the connected app\'s consumer key');
      expect(text).toContain('SALESFORCE_USERNAME is pre-authorized');
      expect(text).toContain('SALESFORCE_LOGIN_URL is https://test.salesforce.com for a sandbox org');
      expect(text).not.toContain('Connect Salesforce');
    }
    expect(message()).toMatch(/^Salesforce refused the JWT bearer sign-in \(invalid_grant\): check that/);
  });

  it('an OAuth grant keeps the reconnect advice', () => {
    expect(new SalesforceGrantError('expired access/refresh token').message).toContain('to reconnect leadlift, open the Connections page');
  });
});

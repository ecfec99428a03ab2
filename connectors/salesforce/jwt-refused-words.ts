/**
 * What an admin checks when Salesforce refuses a JWT bearer sign-in. There is no install to redo
 * (the flow has no grant to reconnect): the fix is in the connected app or in these settings, and
 * Salesforce's own description usually says which, so that one comes first.
 */
const BY_DESCRIPTION: Array<[RegExp, string]> = [
  [/audience is invalid/i, 'SALESFORCE_LOGIN_URL is the login host of the org: https://login.salesforce.com for production, https://test.salesforce.com for a sandbox org'],
  [/invalid assertion/i, 'the connected app holds the certificate of the private key in SALESFORCE_JWT_KEY_FILE (or SALESFORCE_JWT_KEY), and SALESFORCE_CLIENT_ID is that app\'s consumer key'],
  [/hasn't approved|not admin approved|not approved/i, 'SALESFORCE_USERNAME is pre-authorized for the connected app: Permitted Users "Admin approved users are pre-authorized", with that user\'s profile or permission set added to the app'],
  [/expired/i, 'this server\'s clock is right: the signed assertion is valid for 3 minutes from its own time'],
];

const EVERY_CHECK =
  'SALESFORCE_CLIENT_ID is the connected app\'s consumer key and the app holds the certificate of SALESFORCE_JWT_KEY_FILE; ' +
  'SALESFORCE_USERNAME is pre-authorized for the app (Permitted Users "Admin approved users are pre-authorized", with its profile or permission set added); ' +
  'SALESFORCE_LOGIN_URL is https://test.salesforce.com for a sandbox org';

/** "check that …": the one check Salesforce's description points to, or all of them. */
export function jwtRefusedAdvice(description: string | undefined): string {
  const named = BY_DESCRIPTION.find(([pattern]) => description && pattern.test(description));
  return `check that ${named ? named[1] : EVERY_CHECK}. No reconnect is needed: the next run signs in again with the same settings.`;
}

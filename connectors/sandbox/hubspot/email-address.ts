/**
 * Whether HubSpot would take a value for the contact `email` property. HubSpot refuses malformed
 * addresses on every write (create, update, batch, upsert by email) with a 400 whose message
 * holds {"isValid":false,"message":"Email address <value> is invalid","error":"INVALID_EMAIL",
 * "name":"email"}; a sandbox that stored them let a connector ship writes real portals reject.
 * This is a syntax check (one @, no spaces, a dotted domain ending in a 2+ letter label).
 * HubSpot also checks the top-level domain against its list ("x@example.con" is refused), which
 * the sandbox does not.
 */
const EMAIL = /^[^\s@]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

export function isValidEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function invalidEmailMessage(value: string): string {
  return `Email address ${value} is invalid`;
}

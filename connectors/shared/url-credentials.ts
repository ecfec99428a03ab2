/**
 * Credentials written into a CRM address (HUBSPOT_BASE_URL=http://user:password@proxy, a
 * Salesforce instance or login URL behind a gateway) must never reach a message or a log: every
 * address we show goes through maskUrlCredentials, and every driver or network message (which
 * quotes the request URL, e.g. node-fetch's "request to http://user:pw@host/… failed") goes
 * through redact(), which applies it too. The whole userinfo is masked, the user name included:
 * a gateway often takes a token as its user name.
 */
// scheme:// then user (no ':' or '@'), then :password up to the last '@' before the host (a
// password typed with a raw '@' still counts as password), never crossing a path or a space.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:]*(?::[^\s/?#]*)?@/gi;

/** `text` with the userinfo of every URL in it replaced by ****: "http://****@proxy:8080/…". */
export function maskUrlCredentials(text: string): string {
  return text.replace(USERINFO, '$1****@');
}

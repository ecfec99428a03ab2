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

// An optional scheme://, then everything up to the LAST '@' of the value (greedy, so a password
// with a raw '@', '/', '?', '#' or a space is still all masked).
const SETTING_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i;

/**
 * A single setting's value as typed (HUBSPOT_BASE_URL=…), to be echoed in its error: whatever
 * precedes its last '@' is masked. maskUrlCredentials reads URLs inside free text, so it needs a
 * scheme and stops at a '/', '?' or '#'; a bad setting is bad precisely because it may lack the
 * scheme ("user:secret@host.example") or carry a password that is no valid URL part
 * ("http://user:p/ss@host"), and both would print the password.
 */
export function maskSettingValue(raw: string): string {
  return raw.replace(SETTING_USERINFO, '$1****@');
}

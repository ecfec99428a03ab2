import { ConfigError } from '../../src/domain/errors.js';

/**
 * A CRM address read from the environment (HUBSPOT_BASE_URL, SALESFORCE_INSTANCE_URL,
 * SALESFORCE_LOGIN_URL): it must carry its scheme (Node's URL parser takes "localhost:4010" as a
 * URL of scheme "localhost:"), and a trailing slash is dropped, since the SDKs append paths that
 * begin with one ("//crm/v3/…" is no route).
 */
export function urlSetting(variable: string, raw: string, examples: string): string {
  const text = raw.trim();
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // Not a URL at all, e.g. "127.0.0.1:4010" without its scheme.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(variable, `must be a URL with its scheme, e.g. ${examples} (it is "${text}")`);
  }
  return text.replace(/\/+$/, '');
}

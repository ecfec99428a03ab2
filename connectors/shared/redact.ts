import { maskUrlCredentials } from './url-credentials.js';

/**
 * Removes every occurrence of secrets from text that may reach a log or an error message, and
 * the credentials of any URL it quotes (a base URL with user:password@, url-credentials.ts).
 */
export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = maskUrlCredentials(text);
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

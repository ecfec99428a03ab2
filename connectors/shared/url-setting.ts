import { z } from 'zod';
import { ConfigError } from '../../src/domain/errors.js';
import { issueWords } from '../../src/config/issue-words.js';
import { maskSettingValue } from './url-credentials.js';

/**
 * The one check of a CRM address (HubSpot's API root, Salesforce's instance and login URLs),
 * whether it comes from the environment or from settings given in code or a file: it must carry
 * its scheme (Node's URL parser takes "localhost:4010" as a URL of scheme "localhost:"), and a
 * trailing slash is dropped, since the SDKs append paths that begin with one ("//crm/v3/…" is no
 * route). `examples` says what a good value looks like, in the error.
 */
export function crmUrlSchema(examples: string) {
  return z
    .string()
    .trim()
    .refine(isHttpUrl, `must be a URL that starts with http:// or https://, e.g. ${examples}`)
    .transform((text) => text.replace(/\/+$/, ''));
}

/**
 * A value read from an environment variable, checked by the same schema as the setting it fills:
 * a bad one is named by the variable the admin set, with the value as typed.
 */
export function settingFromEnv<S extends z.ZodTypeAny>(variable: string, schema: S, raw: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  // The value as typed, but for anything before its last '@' (url-credentials.ts: maskSettingValue).
  throw new ConfigError(variable, `${issueWords(result.error.issues[0])} (it is "${maskSettingValue(raw.trim())}")`);
}

function isHttpUrl(text: string): boolean {
  // Not a URL at all ("127.0.0.1:4010", no scheme) fails to parse; "localhost:4010" parses with scheme "localhost:".
  const url = URL.canParse(text) ? new URL(text) : null;
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
}

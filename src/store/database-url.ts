import { ConfigError } from '../domain/errors.js';

/** What a DATABASE_URL points at, safe to show: the password is never part of it. */
export interface DatabaseTarget {
  host: string;
  port: string;
  database: string;
  user: string;
  /** The URL with its password replaced by ****, for messages. */
  masked: string;
  /** The password, kept only so it can be scrubbed from any driver message. */
  secrets: string[];
}

const PROTOCOLS = new Set(['postgres:', 'postgresql:']);

export function parseDatabaseUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL parser's own error repeats the input, password included: say what is wrong instead.
    throw new ConfigError(
      'DATABASE_URL',
      'is not a valid URL; expected postgres://USER:PASSWORD@HOST:5432/DATABASE (percent-encode special characters in the password)',
    );
  }
  if (!PROTOCOLS.has(parsed.protocol)) {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql:// (got "${parsed.protocol}//")`);
  }
  const secrets = parsed.password ? [parsed.password, safeDecode(parsed.password)] : [];
  const masked = new URL(url);
  if (masked.password) masked.password = '****';
  return {
    host: parsed.hostname || 'localhost',
    port: parsed.port || '5432',
    database: safeDecode(parsed.pathname.replace(/^\//, '')) || safeDecode(parsed.username) || '(default)',
    user: safeDecode(parsed.username) || '(default)',
    masked: masked.toString(),
    secrets: secrets.filter((s) => s.length > 0),
  };
}

/** Removes every occurrence of the target's password from a message written by a driver. */
export function scrub(message: string, target: DatabaseTarget): string {
  let out = message;
  for (const secret of target.secrets) out = out.split(secret).join('****');
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

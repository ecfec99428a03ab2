import { ConfigError } from '../domain/errors.js';

/** What a DATABASE_URL points at, safe to show: the password is never part of it. */
export interface DatabaseTarget {
  host: string;
  port: string;
  database: string;
  user: string;
  /** The URL with its password (userinfo and query) replaced by ****, for messages. */
  masked: string;
  /** The passwords, kept only so they can be scrubbed from any driver message. */
  secrets: string[];
}

const PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/**
 * Query keys that carry a secret. pg takes `?password=` over the userinfo one; `sslpassword`
 * (libpq's client-key passphrase) and `passphrase` (Node's TLS name for it) are not read by pg
 * today, but a URL copied from libpq or pg-native tooling carries them, and they are just as secret.
 * Compared in lower case: a key spelt `Password` is still a password to whoever reads the log.
 */
const SECRET_QUERY_KEYS = new Set(['password', 'sslpassword', 'passphrase']);

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
  const query = maskQuery(parsed.search);
  masked.search = query.search;
  secrets.push(...query.secrets);
  return {
    host: parsed.hostname || 'localhost',
    port: parsed.port || '5432',
    database: safeDecode(parsed.pathname.replace(/^\//, '')) || safeDecode(parsed.username) || '(default)',
    user: safeDecode(parsed.username) || '(default)',
    masked: masked.toString(),
    // Longest first, so scrubbing a password never leaves the tail of a longer one that contains it.
    secrets: [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length),
  };
}

/**
 * Replaces the value of every secret-bearing query parameter by ****, leaving the rest of the
 * query as written (re-serialising it through URLSearchParams would re-encode other values).
 * Each secret is kept as written, percent-decoded, and as URLSearchParams (thus pg) decodes it
 * ('+' read as a space), since a driver message may quote any of them.
 */
function maskQuery(search: string): { search: string; secrets: string[] } {
  if (search.length <= 1) return { search, secrets: [] };
  const secrets: string[] = [];
  const parts = search.slice(1).split('&').map((part) => {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!SECRET_QUERY_KEYS.has(formDecode(key).toLowerCase()) || eq < 0) return part;
    const value = part.slice(eq + 1);
    if (value === '') return part;
    secrets.push(value, safeDecode(value), formDecode(value));
    return `${key}=****`;
  });
  return { search: `?${parts.join('&')}`, secrets };
}

/** Removes every occurrence of the target's passwords from a message written by a driver. */
export function scrub(message: string, target: DatabaseTarget): string {
  let out = message;
  for (const secret of target.secrets) out = out.split(secret).join('****');
  return out;
}

function formDecode(text: string): string {
  return safeDecode(text.replace(/\+/g, ' '));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

import { redact } from '../../connectors/shared/redact.js';
import { HUBSPOT_SECRET_VARIABLES } from '../../connectors/hubspot/secret-variables.js';
import { SALESFORCE_SECRET_VARIABLES } from '../../connectors/salesforce/secret-variables.js';
import { APP_SECRET_VARIABLES } from '../config/secret-variables.js';
import { LeadliftError } from '../domain/errors.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import type { LoopDeps } from './deps.js';

/**
 * Secrets set in the environment that a connector or the store may not hold itself (a HubSpot
 * OAuth app's client secret and refresh token live in the token provider; the admin pages' own):
 * each owner's list, so a secret added to one is scrubbed here too.
 */
export const SECRET_VARIABLES: readonly string[] = [...HUBSPOT_SECRET_VARIABLES, ...SALESFORCE_SECRET_VARIABLES, ...APP_SECRET_VARIABLES];

/**
 * Every secret the loop knows of: the connector's tokens and keys, the store's and the
 * DATABASE_URL's passwords, the secret variables. No connector: work that failed before it had
 * one (an install page's CRM that is not connected yet).
 */
export function loopSecrets(deps: { store: Pick<LoopDeps['store'], 'secrets'>; connector?: Pick<LoopDeps['connector'], 'secrets'> }, env: NodeJS.ProcessEnv = process.env): string[] {
  return longestFirst([...(deps.connector?.secrets?.() ?? []), ...deps.store.secrets(), ...envSecrets(env)]);
}

/** The secrets set in the environment: the secret variables and the DATABASE_URL's passwords (all a process knows before it opens anything). */
export function envSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const name of SECRET_VARIABLES) if (env[name]) out.push(env[name]!);
  if (env.DATABASE_URL) {
    try {
      out.push(...parseDatabaseUrl(env.DATABASE_URL).secrets);
    } catch {
      // Not a URL the store could have opened: nothing of it can be in a driver's message.
    }
  }
  return longestFirst(out);
}

/** Longest first, so scrubbing one never leaves the tail of a longer one that contains it. */
function longestFirst(secrets: string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

export interface RunError {
  /** What the run stores as its error and the admin pages show: never a secret. */
  stored: string;
  /** The error's own text, scrubbed of the known secrets, for the log only; null when `stored` is that text already. */
  logged: string | null;
}

/**
 * A failed run's error as the runs table keeps it (runs.finish: the model page shows the last
 * cycle's). leadlift's own errors are worded for admins and free of secrets, so they are kept as
 * they are. Node's system errors (ECONNREFUSED, ENOSPC…) have a fixed form naming a call and an
 * address or a path, which tells an admin what to fix: kept once scrubbed of the known secrets.
 * Anything else (a driver's, an SDK's, a bug's) may quote whatever it was handed, a token or a
 * secret the loop does not know included: only its class is stored, its scrubbed text is logged.
 */
export function runError(err: unknown, secrets: string[]): RunError {
  if (err instanceof LeadliftError) return { stored: err.message, logged: null };
  const text = redact(err instanceof Error ? err.message : String(err), secrets);
  if (isSystemError(err)) return { stored: text, logged: null };
  return { stored: `An unexpected ${className(err)} stopped the run; its text is in the log only, since it may quote a secret.`, logged: text };
}

function isSystemError(err: unknown): err is Error & { code: string; syscall: string } {
  const e = err as { code?: unknown; syscall?: unknown };
  return err instanceof Error && typeof e.code === 'string' && /^E[A-Z0-9_]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** The error's class as its name says (TypeError, AxiosError), or words for a thrown value that is none. */
function className(err: unknown): string {
  if (!(err instanceof Error)) return 'thrown value (not an Error)';
  // A name is an identifier; anything else it might hold is text from outside too.
  return /^[A-Za-z_$][\w$]{0,63}$/.test(err.name) ? err.name : 'error';
}

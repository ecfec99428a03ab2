import { InputError } from '../domain/errors.js';
import { blockedPortProblem } from '../jobs/blocked-ports.js';

/**
 * The ports `serve` and `start` read from the environment, checked the same way for both: a value
 * that is no port exits 2 naming the variable, before anything is opened.
 */

/** PORT: the admin pages, install flows and webhooks; default 3000. */
export function portFromEnv(): number {
  return portSetting('PORT', 3000);
}

/** Where `npm start` serves its sandbox, so the printed URLs stay the same between starts. */
export const START_SANDBOX_PORT = 4010;

/**
 * LEADLIFT_SANDBOX_PORT: the local sandbox started when no CRM is configured, e.g. when 4010
 * belongs to something else. Unset: `fallback` (start: 4010; serve: 0, any free port).
 */
export function sandboxPortFromEnv(fallback: number): number {
  return portSetting('LEADLIFT_SANDBOX_PORT', fallback);
}

function portSetting(variable: string, fallback: number): number {
  const text = process.env[variable]?.trim();
  if (!text) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InputError(`${variable} must be a port number 0-65535 (got "${text}")`);
  refuseBlockedPort(port, variable);
  return port;
}

/** A port the Fetch standard blocks (blocked-ports.ts) is refused, naming the setting that gave it. */
export function refuseBlockedPort(port: number, setting: string): void {
  const problem = blockedPortProblem(port, setting);
  if (problem) throw new InputError(problem);
}

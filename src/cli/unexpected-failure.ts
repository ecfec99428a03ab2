import { redact } from '../../connectors/shared/redact.js';
import { LeadliftError } from '../domain/errors.js';
import type { LoopConnections } from '../jobs/connectors-from-env.js';
import { envSecrets, loopSecrets } from '../jobs/run-error.js';

/**
 * What `leadlift` prints for a failure that is no LeadliftError (a bug, a driver's or an SDK's
 * error): the stack, which the admin needs to report it, but scrubbed of the secrets set in the
 * environment and of any URL's credentials, since the message heading it may quote them (a pg
 * error quoting the connection string, an SDK's quoting its request).
 */
export function unexpectedFailureText(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return redact(text, envSecrets(env));
}

/**
 * For a command that held connections (run, serve, start), before its error leaves it: a failure
 * that is no LeadliftError has its message and stack scrubbed of the secrets only the connections
 * know, e.g. an access token refreshed during the run, which no environment variable holds, as
 * the log lines are (run-error.ts). leadlift's own errors are worded free of secrets.
 */
export function scrubbedFailure(err: unknown, connections: Pick<LoopConnections, 'connectors' | 'store'>): unknown {
  if (!(err instanceof Error) || err instanceof LeadliftError) return err;
  const { store } = connections;
  const secrets = [loopSecrets({ store }), ...connections.connectors.map((connector) => loopSecrets({ store, connector }))].flat();
  err.message = redact(err.message, secrets);
  if (err.stack) err.stack = redact(err.stack, secrets);
  return err;
}

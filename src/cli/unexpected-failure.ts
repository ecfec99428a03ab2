import { redact } from '../../connectors/shared/redact.js';
import { envSecrets } from '../jobs/run-error.js';

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

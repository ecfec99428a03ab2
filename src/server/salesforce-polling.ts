import { hasUsableCredential } from './crm-credential.js';
import type { ServerDeps } from './deps.js';

/**
 * Salesforce change notifications by polling (manifest.json salesforce.changeNotifications):
 * every interval, an incremental pull on SystemModstamp picks up what changed and only the
 * changed open leads are rescored and written back. One poll at a time; a slow one is not stacked.
 *
 * A Salesforce configured for OAuth exists as a connector before anyone chose "Connect
 * Salesforce" (crm-credential.ts): until then a poll could only fail, every interval. It says
 * once that it waits for the install, and polls once the install stored tokens.
 */
export function startSalesforcePolling(deps: ServerDeps): { stop(): void } {
  const { mode, intervalSeconds } = deps.manifest.salesforce.changeNotifications;
  if (mode !== 'polling') return { stop() {} };
  let busy = false;
  let saidWaiting = false;
  const poll = async (): Promise<void> => {
    const connector = deps.connections.get('salesforce');
    // Salesforce is not served.
    if (!connector) return;
    if (!(await hasUsableCredential(connector, deps.store))) {
      if (!saidWaiting) deps.logger.info('Salesforce change poll waits for the install: choose "Connect Salesforce" on /install; polling starts once it is connected');
      saidWaiting = true;
      return;
    }
    await deps.loop.rescore('salesforce');
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    poll()
      .catch((err: Error) => deps.logger.error({ err: err.message }, 'Salesforce change poll failed'))
      .finally(() => {
        busy = false;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

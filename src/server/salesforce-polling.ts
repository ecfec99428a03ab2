import type { ServerDeps } from './deps.js';

/**
 * Salesforce change notifications by polling (manifest.json salesforce.changeNotifications):
 * every interval, an incremental pull on SystemModstamp picks up what changed and only the
 * changed open leads are rescored and written back. One poll at a time; a slow one is not stacked.
 */
export function startSalesforcePolling(deps: ServerDeps): { stop(): void } {
  const { mode, intervalSeconds } = deps.manifest.salesforce.changeNotifications;
  if (mode !== 'polling') return { stop() {} };
  let busy = false;
  const timer = setInterval(() => {
    if (busy || !deps.connections.get('salesforce')) return;
    busy = true;
    deps.loop
      .rescore('salesforce')
      .catch((err: Error) => deps.logger.error({ err: err.message }, 'Salesforce change poll failed'))
      .finally(() => {
        busy = false;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

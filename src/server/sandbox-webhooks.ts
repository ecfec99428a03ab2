import type { Connector } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import { neverInputMatcher } from '../jobs/never-inputs.js';

export interface SandboxWebhookEvent {
  eventType: 'contact.creation' | 'contact.propertyChange' | 'contact.deletion' | 'contact.privacyDeletion' | 'contact.merge';
  propertyName?: string;
}

/**
 * The contact events a HubSpot app subscribes to for real-time rescoring: creations, and a
 * property change on every contact property a model may read. HubSpot takes one propertyChange
 * subscription per property; the app's own score properties and the never-inputs are left out
 * (an edit there cannot change a score, and our own writes would only come back as events).
 * Deletions and privacy deletions too: a deleted contact must stop being scored at once, and a
 * privacy deletion erased from the store, not left until someone runs `forget`. Merges too: the
 * merged-away ids must stop being scored, and the merged record be scored, before the next sync.
 */
export function rescoringEvents(propertyNames: Iterable<string>, config: AppConfig, manifest: Manifest): SandboxWebhookEvent[] {
  const isNeverInput = neverInputMatcher(config, 'hubspot', manifest);
  const inputs = [...new Set(propertyNames)].filter((name) => !isNeverInput(name)).sort();
  return [
    { eventType: 'contact.creation' },
    { eventType: 'contact.deletion' },
    { eventType: 'contact.privacyDeletion' },
    { eventType: 'contact.merge' },
    ...inputs.map((propertyName) => ({ eventType: 'contact.propertyChange' as const, propertyName })),
  ];
}

/** Points the local sandbox's HubSpot app at `targetUrl` with the rescoring subscriptions. */
export async function subscribeSandboxWebhooks(sandboxUrl: string, targetUrl: string, connector: Connector, config: AppConfig, manifest: Manifest): Promise<void> {
  const properties = connector.describeLeadFields ? Object.keys(await connector.describeLeadFields()) : [];
  const events = rescoringEvents(properties, config, manifest);
  const res = await fetch(`${sandboxUrl}/__sandbox/hubspot/webhooks`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ targetUrl, events }),
  });
  if (!res.ok) throw new Error(`${res.status} from the sandbox's webhook set-up`);
}

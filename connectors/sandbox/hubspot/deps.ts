import type { SandboxContext } from '../context.js';
import type { HubspotRecords } from './store.js';

/** What every HubSpot route module needs: the shared sandbox context and the HubSpot records. */
export interface HubspotDeps {
  ctx: SandboxContext;
  records: HubspotRecords;
}

/** HubSpot's batch endpoints take at most this many inputs. */
export const BATCH_LIMIT = 100;

/**
 * With propertiesWithHistory HubSpot reads at most 50 objects a request: a batch read of more
 * inputs, or a list page asking for more, is a 400 (batch: "The maximum number of inputs
 * supported in a batch request for property histories is 50. ...").
 */
export const HISTORY_READ_LIMIT = 50;

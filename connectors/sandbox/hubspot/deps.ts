import type { SandboxContext } from '../context.js';
import type { HubspotRecords } from './store.js';

/** What every HubSpot route module needs: the shared sandbox context and the HubSpot records. */
export interface HubspotDeps {
  ctx: SandboxContext;
  records: HubspotRecords;
}

/** HubSpot's batch endpoints take at most this many inputs. */
export const BATCH_LIMIT = 100;

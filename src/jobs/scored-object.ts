import { z } from 'zod';
import { CRM_NAMES, type Connector } from '../../connectors/types.js';
import { InputError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { LEAD_OBJECT } from './deps.js';

/**
 * One store scores one CRM object. Its records, cursors, outcomes and models all come from that
 * object, and a sync of another one (Salesforce Contacts after Leads) would mix both under one
 * lead table, move the cursor to the other object's ids and train on the two outcome rules at
 * once. The object is remembered beside the sync cursors at the first sync; a store from before
 * that is recognised by its records' ids where the connector can tell (Salesforce key prefixes).
 */
export const SCORED_OBJECT_STREAM = 'scored-object';

const remembered = z.object({ name: z.string().min(1) });

/** A run configured for another object than the store was built from: refused before anything is read or written. */
export class ScoredObjectMismatchError extends InputError {
  readonly stored: string;
  readonly configured: string;
  constructor(crm: string, stored: string, configured: string, setting: string, location: string) {
    super(
      `This store (${location}) holds ${crm} ${stored} records, but ${setting} is now ${configured}; nothing was synced, scored or written. ` +
        `Set ${setting}=${stored} again to go on with this store, or point leadlift at a new store to score ${configured} records ` +
        '(DATABASE_URL for PostgreSQL, or LEADLIFT_HOME for the embedded one): one store scores one object, its records, cursors, outcomes and models belong together.',
    );
    this.stored = stored;
    this.configured = configured;
  }
}

export async function assertScoredObject(store: Store, connector: Connector): Promise<void> {
  const object = connector.scoredObject;
  if (!object) return;
  const crm = connector.crm;
  const crmName = CRM_NAMES[crm];
  const before = remembered.safeParse(await store.checkpoints.get(crm, SCORED_OBJECT_STREAM));
  if (before.success) {
    if (before.data.name !== object.name) throw new ScoredObjectMismatchError(crmName, before.data.name, object.name, object.setting, store.location);
    return;
  }
  const [sample] = await store.records.list(crm, LEAD_OBJECT, { limit: 1, includeArchived: true });
  const held = sample ? (object.objectOfId?.(sample.id) ?? null) : null;
  if (held && held !== object.name) throw new ScoredObjectMismatchError(crmName, held, object.name, object.setting, store.location);
  await store.checkpoints.set(crm, SCORED_OBJECT_STREAM, { name: object.name });
}

import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import type { ContactCursor } from './cursor.js';
import { changesSince, newestPosition } from './keyset-search.js';

/**
 * Walks contacts from a cursor: a first run pages the whole contact list (then the archived
 * ones), later runs read only what changed. Every page comes with the cursor that resumes right
 * after it, so the caller can store both together.
 */

export interface ContactPage {
  contacts: SimplePublicObject[];
  cursor: ContactCursor;
}

const MODIFIED = 'lastmodifieddate';
/** The ids merged into a contact, ";"-separated: the only trace of a merged-away contact (leads.ts). */
export const MERGED_IDS = 'hs_merged_object_ids';

export async function* pageContacts(
  caller: ApiCaller,
  config: HubspotConfig,
  cursor: ContactCursor | null,
  properties: string[],
  stats?: CallStats,
): AsyncGenerator<ContactPage> {
  let current: ContactCursor = cursor ?? {
    mode: 'backfill',
    phase: 'active',
    after: null,
    from: await newestPosition(caller, { object: 'contacts', modifiedProperty: MODIFIED, stats }),
    startedAt: new Date().toISOString(),
  };
  const wanted = contactProperties(properties);

  while (current.mode === 'backfill') {
    const { phase, after, from, startedAt } = current;
    const response = await caller.call(
      'standard',
      `listing ${phase === 'archived' ? 'archived ' : ''}contacts`,
      (api) => api.contacts.basicApi.getPage(config.batch.listSize, after ?? undefined, wanted, undefined, undefined, phase === 'archived'),
      stats,
    );
    const next = response.paging?.next?.after;
    current = next
      ? { mode: 'backfill', phase, after: next, from, startedAt }
      : phase === 'active'
        ? { mode: 'backfill', phase: 'archived', after: null, from, startedAt }
        : from;
    yield { contacts: response.results as SimplePublicObject[], cursor: current };
  }

  const options = { object: 'contacts', modifiedProperty: MODIFIED, properties: wanted, pageSize: config.search.pageSize, stats } as const;
  for await (const page of changesSince(caller, current, config.search.indexLagMs, options)) {
    yield { contacts: page.records, cursor: page.position };
  }
}

/** The properties a contact page asks for: the caller's plus what the cursor and records need. */
export function contactProperties(properties: string[]): string[] {
  return [...new Set([...properties, MODIFIED, 'createdate', 'hs_object_id', MERGED_IDS])];
}

import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { Cursor, LeadRecord, Page } from '../types.js';
import type { Manifest } from '../../src/domain/manifest.js';
import type { ApiCaller } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { pageContacts } from './contact-pager.js';
import { parseContactCursor } from './cursor.js';
import { modifiedMs } from './keyset-search.js';

/** Contacts as leads: every configured property, paged from the cursor. */
export async function* pullHubspotLeads(caller: ApiCaller, config: HubspotConfig, manifest: Manifest, cursor: Cursor | null): AsyncGenerator<Page<LeadRecord>> {
  const start = parseContactCursor(cursor, 'lead sync');
  const properties = config.leadProperties ?? (await portalLeadProperties(caller, manifest));
  for await (const page of pageContacts(caller, config, start, properties)) {
    yield { records: page.contacts.map(toLeadRecord), cursor: page.cursor };
  }
}

/**
 * Every contact property the portal defines, except the app's own: the scores we write must not
 * come back as inputs to the model that produced them.
 */
export async function portalLeadProperties(caller: ApiCaller, manifest: Manifest): Promise<string[]> {
  const own = new Set(manifest.hubspot.properties.map((p) => p.name));
  const ownGroup = manifest.hubspot.propertyGroup.name;
  const all = await caller.call('standard', 'reading the contact properties', (api) => api.properties.coreApi.getAll('contacts'));
  return all.results.filter((p) => !own.has(p.name) && p.groupName !== ownGroup).map((p) => p.name);
}

export function toLeadRecord(contact: SimplePublicObject): LeadRecord {
  return {
    crm: 'hubspot',
    id: contact.id,
    createdAt: isoOf(contact.createdAt, contact.properties?.createdate),
    modifiedAt: new Date(modifiedMs(contact, 'lastmodifieddate')).toISOString(),
    archived: contact.archived === true,
    properties: { ...(contact.properties ?? {}) },
  };
}

function isoOf(date: Date | string | undefined, fallback: string | null | undefined): string {
  const ms = date instanceof Date ? date.getTime() : Date.parse(String(date ?? fallback));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : new Date(0).toISOString();
}

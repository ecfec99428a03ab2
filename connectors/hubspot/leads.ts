import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { Cursor, LeadRecord, Page } from '../types.js';
import type { Manifest } from '../../src/domain/manifest.js';
import type { ApiCaller } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { archivedContactsSince, archivedMs, CLOCK_SKEW_MS, passDue } from './archived-contacts.js';
import { contactProperties, MERGED_IDS, pageContacts } from './contact-pager.js';
import { parseLeadCursor, type IncrementalCursor, type LeadCursor } from './cursor.js';
import { modifiedMs } from './keyset-search.js';

/**
 * Contacts as leads: every configured property, paged from the cursor. Once incremental, a pull
 * also lists the archived contacts when that pass is due, so a contact deleted in HubSpot comes
 * back archived and the loop stops scoring and writing it.
 */
export async function* pullHubspotLeads(caller: ApiCaller, config: HubspotConfig, manifest: Manifest, cursor: Cursor | null): AsyncGenerator<Page<LeadRecord>> {
  const pullStartedAt = new Date().toISOString();
  const start = parseLeadCursor(cursor, 'lead sync');
  // The app's own properties come too, so a score edited in HubSpot can be put right (they are
  // never model inputs: config loop.neverInputs). One the portal lacks yet is simply not returned.
  const own = manifest.hubspot.properties.map((p) => p.name);
  const properties = [...new Set([...(config.leadProperties ?? (await portalLeadProperties(caller, manifest))), ...own])];
  // A backfill lists the archived contacts itself, so its start counts as a pass. One stored by
  // an earlier version has no startedAt: the start of the pull resuming it stands in (it is no
  // later than that backfill's archived phase, whose completion then counts as the last pass,
  // so no full pass follows right after it). It is kept in the cursor, so a later resume keeps it.
  const backfillStartedAt = (c: { startedAt?: string }) => c.startedAt ?? pullStartedAt;
  let checkedAt = start === null ? undefined : start.mode === 'incremental' ? start.archivedCheckedAt : backfillStartedAt(start);
  let position: IncrementalCursor | null = start?.mode === 'incremental' ? start : null;
  for await (const page of pageContacts(caller, config, start, properties)) {
    const records = page.contacts.map(toLeadRecord);
    if (page.cursor.mode === 'backfill') {
      checkedAt = backfillStartedAt(page.cursor);
      yield withMerged({ records, cursor: { ...page.cursor, startedAt: checkedAt } });
    } else {
      position = page.cursor;
      yield withMerged({ records, cursor: leadCursor(position, checkedAt) });
    }
  }
  if (!position || !passDue(checkedAt, config)) return;

  const passStartedAt = new Date().toISOString();
  const sinceMs = checkedAt === undefined ? null : Date.parse(checkedAt) - CLOCK_SKEW_MS;
  for await (const page of archivedContactsSince(caller, config, sinceMs, contactProperties(properties))) {
    // Only a finished pass moves archivedCheckedAt: an interrupted one is still due next pull.
    yield withMerged({ records: page.contacts.map(toLeadRecord), cursor: leadCursor(position, page.done ? passStartedAt : checkedAt) });
  }
}

/**
 * A merge leaves no deleted contact to list: both merged ids lead to a new contact (HubSpot
 * creates one per merge), and the archived listing shows neither. The new contact names them in
 * hs_merged_object_ids, and it is new, so the next pull reads it: its page says they are merged
 * away, and the store stops scoring and writing them. Naming them again later (another edit of
 * the merged contact) is harmless: they stay archived.
 */
function withMerged(page: Page<LeadRecord>): Page<LeadRecord> {
  const merged = mergedAwayOf(page.records);
  return merged.length > 0 ? { ...page, mergedAway: merged } : page;
}

/** The ids these contacts name in hs_merged_object_ids, once each (see withMerged). */
export function mergedAwayOf(records: readonly LeadRecord[]): string[] {
  return [...new Set(records.flatMap((r) => (r.properties[MERGED_IDS] ?? '').split(';').map((id) => id.trim()).filter(Boolean)))];
}

function leadCursor(position: IncrementalCursor, archivedCheckedAt: string | undefined): LeadCursor {
  const { mode, since, lastId, indexedThrough, walkingTie, recheck } = position;
  return {
    mode,
    since,
    lastId,
    ...(indexedThrough === undefined ? {} : { indexedThrough }),
    ...(walkingTie === undefined ? {} : { walkingTie }),
    ...(recheck === undefined ? {} : { recheck }),
    ...(archivedCheckedAt === undefined ? {} : { archivedCheckedAt }),
  };
}

/**
 * Every contact property the portal defines, except the app's own (and anything else in its
 * group): those are read as what the CRM shows of our scores, never as inputs to the model.
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
    modifiedAt: new Date(changedMs(contact)).toISOString(),
    archived: contact.archived === true,
    properties: { ...(contact.properties ?? {}) },
  };
}

/**
 * An archival is a change too: dated no earlier than archivedAt, the archived version replaces
 * the stored one even when archiving left lastmodifieddate as it was (the store keeps the newest).
 */
function changedMs(contact: SimplePublicObject): number {
  const modified = modifiedMs(contact, 'lastmodifieddate');
  if (contact.archived !== true) return modified;
  const archived = archivedMs(contact);
  return Number.isFinite(archived) ? Math.max(modified, archived) : modified;
}

function isoOf(date: Date | string | undefined, fallback: string | null | undefined): string {
  const ms = date instanceof Date ? date.getTime() : Date.parse(String(date ?? fallback));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : new Date(0).toISOString();
}

import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { z } from 'zod';
import type { Cursor, OutcomeRecord, Page } from '../types.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { pageContacts } from './contact-pager.js';
import { contactCursorSchema, incrementalCursorSchema, parseCursor, type ContactCursor } from './cursor.js';
import { chunks } from '../shared/chunks.js';
import { changesSince, modifiedMs, newestPosition, type KeysetSearchOptions } from './keyset-search.js';
import { decideOutcome, type DealFacts } from './outcome-rules.js';

/**
 * Outcomes of contacts, page by page: for each page of contacts one batched association read
 * finds their deals and batched deal reads (100 a call) fetch those deals, so the cost grows
 * with pages, not with contacts. Contacts still open yield no record.
 *
 * Two streams feed it. Contacts changed since the cursor (a lifecycle stage or lead status set
 * by hand or by workflow), and deals changed since the cursor: closing a deal does not touch its
 * contacts' lastmodifieddate, so a lost deal would otherwise go unnoticed.
 */

const outcomeCursorSchema = z.object({ contacts: contactCursorSchema, deals: incrementalCursorSchema });

const DEAL_PROPERTIES = ['dealstage', 'closedate', 'hs_is_closed_won', 'hs_is_closed', 'hs_lastmodifieddate', 'pipeline'];

export async function* pullHubspotOutcomes(caller: ApiCaller, config: HubspotConfig, cursor: Cursor | null): AsyncGenerator<Page<OutcomeRecord>> {
  const start = parseCursor(outcomeCursorSchema, cursor, 'outcome sync');
  const contactProperties = outcomeContactProperties(config);
  // Deal changes from here on are read after the contacts, whatever mode the contacts are in.
  const dealsFrom = start?.deals ?? (await newestPosition(caller, { object: 'deals', modifiedProperty: 'hs_lastmodifieddate' }));

  let contactsCursor: ContactCursor | null = start?.contacts ?? null;
  for await (const page of pageContacts(caller, config, contactsCursor, contactProperties)) {
    contactsCursor = page.cursor;
    yield { records: await decideAll(caller, config, page.contacts), cursor: { contacts: page.cursor, deals: dealsFrom } };
  }

  const dealSearch: KeysetSearchOptions = { object: 'deals', modifiedProperty: 'hs_lastmodifieddate', properties: ['dealstage'], pageSize: config.search.pageSize };
  for await (const page of changesSince(caller, dealsFrom, config.search.indexLagMs, dealSearch)) {
    const contactIds = await contactsOfDeals(caller, config, page.records.map((d) => d.id));
    const contacts = await readContacts(caller, config, contactIds, contactProperties);
    yield { records: await decideAll(caller, config, contacts), cursor: { contacts: contactsCursor as ContactCursor, deals: page.position } };
  }
}

/** The contact properties an outcome is decided from (with the contact's deals). */
export function outcomeContactProperties(config: HubspotConfig): string[] {
  return ['lifecyclestage', 'hs_lead_status', ...config.outcome.wonLifecycleStages.map(stageDateProperty)];
}

/** Each contact's outcome from its properties and its deals (read here, batched); open contacts yield none. */
export async function decideAll(caller: ApiCaller, config: HubspotConfig, contacts: SimplePublicObject[]): Promise<OutcomeRecord[]> {
  const definition = config.outcome;
  const dealsByContact = await dealsOf(caller, config, contacts.map((c) => c.id));
  const records: OutcomeRecord[] = [];
  for (const contact of contacts) {
    const props = contact.properties ?? {};
    const decision = decideOutcome(
      {
        lifecycleStage: props.lifecyclestage ?? null,
        leadStatus: props.hs_lead_status ?? null,
        stageDates: Object.fromEntries(definition.wonLifecycleStages.map((s) => [s, props[stageDateProperty(s)] ?? null])),
        modifiedAt: new Date(modifiedMs(contact, 'lastmodifieddate')).toISOString(),
      },
      dealsByContact.get(contact.id) ?? [],
      definition,
    );
    if (decision) records.push({ crm: 'hubspot', leadId: contact.id, ...decision });
  }
  return records;
}

function stageDateProperty(stage: string): string {
  return `hs_lifecyclestage_${stage}_date`;
}

async function contactsOfDeals(caller: ApiCaller, config: HubspotConfig, dealIds: string[]): Promise<string[]> {
  const contactIds = new Set<string>();
  for (const ids of chunks(dealIds, config.batch.readSize)) {
    const response = await caller.call('standard', 'reading which contacts belong to each deal', (api) =>
      api.associations.batchApi.getPage('deals', 'contacts', { inputs: ids.map((id) => ({ id })) }),
    );
    for (const result of response.results ?? []) for (const to of result.to ?? []) contactIds.add(String(to.toObjectId));
  }
  return [...contactIds];
}

async function readContacts(caller: ApiCaller, config: HubspotConfig, ids: string[], properties: string[]): Promise<SimplePublicObject[]> {
  const out: SimplePublicObject[] = [];
  for (const batch of chunks(ids, config.batch.readSize)) {
    const response = await caller.call('standard', 'reading contacts', (api) =>
      api.contacts.batchApi.read({ inputs: batch.map((id) => ({ id })), properties: [...properties, 'lastmodifieddate'], propertiesWithHistory: [] }),
    );
    // Archived contacts come back as per-input errors; they have no outcome to update.
    out.push(...(response.results ?? []));
  }
  return out;
}

/** Deals of each contact, in as few calls as HubSpot's batch limits allow. */
export async function dealsOf(caller: ApiCaller, config: HubspotConfig, contactIds: string[], stats?: CallStats): Promise<Map<string, DealFacts[]>> {
  const dealIdsByContact = new Map<string, string[]>();
  for (const ids of chunks(contactIds, config.batch.readSize)) {
    const response = await caller.call(
      'standard',
      'reading which deals belong to each contact',
      (api) => api.associations.batchApi.getPage('contacts', 'deals', { inputs: ids.map((id) => ({ id })) }),
      stats,
    );
    // Contacts without deals come back as per-input errors (HTTP 207); they simply have none.
    for (const result of response.results ?? []) {
      dealIdsByContact.set(String(result._from.id), (result.to ?? []).map((t) => String(t.toObjectId)));
    }
  }

  const allDealIds = [...new Set([...dealIdsByContact.values()].flat())];
  const deals = new Map<string, DealFacts>();
  for (const ids of chunks(allDealIds, config.batch.readSize)) {
    const response = await caller.call(
      'standard',
      'reading deals',
      (api) => api.deals.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: DEAL_PROPERTIES, propertiesWithHistory: [] }),
      stats,
    );
    for (const deal of response.results ?? []) deals.set(deal.id, dealFacts(deal));
  }

  const out = new Map<string, DealFacts[]>();
  for (const [contactId, dealIds] of dealIdsByContact) {
    out.set(contactId, dealIds.map((id) => deals.get(id)).filter((d): d is DealFacts => d !== undefined));
  }
  return out;
}

function dealFacts(deal: SimplePublicObject): DealFacts {
  const p = deal.properties ?? {};
  const bool = (v: string | null | undefined) => (v === 'true' ? true : v === 'false' ? false : null);
  return {
    id: deal.id,
    stage: p.dealstage ?? null,
    closedAt: p.closedate || null,
    modifiedAt: p.hs_lastmodifieddate || null,
    isClosedWon: bool(p.hs_is_closed_won),
    isClosed: bool(p.hs_is_closed),
  };
}

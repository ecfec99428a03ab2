import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { Cursor, OutcomeRecord, Page } from '../types.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { pageContacts } from './contact-pager.js';
import { parseContactCursor } from './cursor.js';
import { chunks } from './chunks.js';
import { modifiedMs } from './keyset-search.js';
import { decideOutcome, type DealFacts } from './outcome-rules.js';

/**
 * Outcomes of contacts, page by page: for each page of contacts one batched association read
 * finds their deals and batched deal reads (100 a call) fetch those deals, so the cost grows
 * with pages, not with contacts. Contacts still open yield no record.
 */

const DEAL_PROPERTIES = ['dealstage', 'closedate', 'hs_is_closed_won', 'hs_is_closed', 'hs_lastmodifieddate', 'pipeline'];

export async function* pullHubspotOutcomes(caller: ApiCaller, config: HubspotConfig, cursor: Cursor | null): AsyncGenerator<Page<OutcomeRecord>> {
  const start = parseContactCursor(cursor, 'outcome sync');
  const definition = config.outcome;
  const stageDateProps = definition.wonLifecycleStages.map(stageDateProperty);
  const properties = ['lifecyclestage', 'hs_lead_status', ...stageDateProps];

  for await (const page of pageContacts(caller, config, start, properties)) {
    const dealsByContact = await dealsOf(caller, config, page.contacts.map((c) => c.id));
    const records: OutcomeRecord[] = [];
    for (const contact of page.contacts) {
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
    yield { records, cursor: page.cursor };
  }
}

function stageDateProperty(stage: string): string {
  return `hs_lifecyclestage_${stage}_date`;
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

import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { LeadsById } from '../types.js';
import type { Manifest } from '../../src/domain/manifest.js';
import type { ApiCaller } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { contactProperties } from './contact-pager.js';
import { mergedAwayOf, portalLeadProperties, toLeadRecord } from './leads.js';
import { decideAll, outcomeContactProperties } from './outcomes.js';
import { chunks } from '../shared/chunks.js';

/**
 * Up to how many contact ids a webhook's rescore reads by id. Each 100 cost about two calls (the
 * batch read and the deal associations, plus the deals when there are any), a few fewer than an
 * incremental pull spends on the same contacts (measured on the demo: 250 calls for the 8,238
 * contacts the first cycle re-dated, two searches and two association reads per 200). But the
 * pull's cursor then moves past them and a batch read moves none: the next hourly sync reads them
 * all again, so reading by id is paid twice. For a rep's edits (a few ids, about 7 calls in all)
 * that is nothing against reading back every contact the CRM re-dated since the last sync; for an
 * import or a workflow touching thousands it doubles the calls, so above this the rescore syncs
 * instead. 500: at most about 15 calls, well within one of HubSpot's 10-second burst allowances.
 */
export const READ_CONTACTS_LIMIT = 500;

/**
 * The contacts with these ids as the lead and outcome pulls would return them, through the
 * official SDK's batch read (POST /crm/v3/objects/contacts/batch/read, 100 inputs a call): one
 * read carries the lead properties and the outcome's, then the outcome pull's own batched deal
 * reads decide each outcome. A deleted (archived) or unknown id comes back as a per-input error
 * (HTTP 207), listed in `missing`.
 */
export async function readHubspotContacts(caller: ApiCaller, config: HubspotConfig, manifest: Manifest, ids: readonly string[]): Promise<LeadsById> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return { records: [], outcomes: [], mergedAway: [], missing: [] };
  const own = manifest.hubspot.properties.map((p) => p.name);
  const lead = config.leadProperties ?? (await portalLeadProperties(caller, manifest));
  const properties = contactProperties([...lead, ...own, ...outcomeContactProperties(config)]);
  const contacts: SimplePublicObject[] = [];
  for (const batch of chunks(wanted, config.batch.readSize)) {
    const response = await caller.call('standard', 'reading the contacts a webhook named', (api) =>
      api.contacts.batchApi.read({ inputs: batch.map((id) => ({ id })), properties, propertiesWithHistory: [] }),
    );
    contacts.push(...(response.results ?? []));
  }
  const found = new Set(contacts.map((c) => c.id));
  // Lead records carry the lead pull's properties only: an outcome property is no model input.
  const leadNames = new Set(contactProperties([...lead, ...own]));
  const records = contacts.map((c) => {
    const record = toLeadRecord(c);
    record.properties = Object.fromEntries(Object.entries(record.properties).filter(([name]) => leadNames.has(name)));
    return record;
  });
  return {
    records,
    outcomes: await decideAll(caller, config, contacts),
    mergedAway: mergedAwayOf(records),
    missing: wanted.filter((id) => !found.has(id)),
  };
}

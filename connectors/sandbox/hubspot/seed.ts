import type { SeedLead } from '../context.js';
import { fieldNameForColumn } from '../field-name.js';
import type { PropertyDef } from './default-properties.js';
import type { HubspotDeps } from './deps.js';
import { isPlainDecimal } from './value-syntax.js';
import { seedOptions, type SeedValueLabels } from '../seed-options.js';

const SEED_GROUP = 'sandbox_seed';
/** Properties the seed itself sets (outcome and bookkeeping); a CSV column with such a name gets a `csv_` prefix. */
const RESERVED = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'lifecyclestage', 'hs_lead_status']);

/**
 * One contact per lead, with a custom property per CSV column. Closed leads get their outcome the
 * way a HubSpot portal records it: won -> lifecycle stage "customer" and a closedwon deal; lost ->
 * lifecycle stage "other", lead status "UNQUALIFIED" and a closedlost deal. Open leads are
 * lifecycle stage "lead", lead status "NEW", no deal; their outcome goes to ctx.hidden only.
 * Seeding sends no webhooks.
 */
export function seedContacts(deps: HubspotDeps, leads: SeedLead[], labels: Record<string, string> = {}, valueLabels: SeedValueLabels = {}): void {
  if (leads.length === 0) return;
  const { records, ctx } = deps;
  const state = records.state;
  const columns = Object.keys(leads[0].values);
  const propertyFor = new Map<string, string>();
  if (!state.groups.contacts.has(SEED_GROUP)) {
    state.groups.contacts.set(SEED_GROUP, { name: SEED_GROUP, label: 'Seeded from CSV', displayOrder: 10, archived: false });
  }
  const now = ctx.clock.now();
  columns.forEach((column, i) => {
    let name = fieldNameForColumn(column);
    if (RESERVED.has(name) || !/^[a-z]/.test(name)) name = `csv_${name}`;
    propertyFor.set(column, name);
    if (state.properties.contacts.has(name)) return;
    // Numeric only when HubSpot could hold every value in a number property (no "1e3", no " 5").
    const numeric = leads.every((lead) => lead.values[column] === '' || isPlainDecimal(lead.values[column]));
    // A column given value labels is a dropdown, as a portal admin would build it (seed-options.ts).
    const options = numeric ? null : seedOptions(leads, column, valueLabels);
    const def: PropertyDef = {
      name,
      label: labels[column] ?? column,
      type: numeric ? 'number' : options ? 'enumeration' : 'string',
      fieldType: numeric ? 'number' : options ? 'select' : 'text',
      description: `Seeded from the CSV column "${column}"`,
      groupName: SEED_GROUP,
      options: (options ?? []).map((o, order) => ({ ...o, displayOrder: order, hidden: false })),
      displayOrder: i,
      hasUniqueValue: false,
      hidden: false,
      formField: false,
      calculated: false,
      externalOptions: false,
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    state.properties.contacts.set(name, def);
  });
  const hasEmail = [...propertyFor.values()].includes('email');
  const iso = (ms: number) => new Date(ms).toISOString();

  for (const lead of leads) {
    const values: Record<string, string> = {};
    for (const column of columns) {
      const value = lead.values[column];
      if (value !== undefined && value !== '') values[propertyFor.get(column)!] = value;
    }
    if (!hasEmail) values.email = `lead-${lead.index + 1}@sandbox.leadlift.test`;
    values.hs_lifecyclestage_lead_date = iso(lead.createdAt);
    if (lead.open) {
      values.lifecyclestage = 'lead';
      values.hs_lead_status = 'NEW';
    } else if (lead.outcome === 'won') {
      values.lifecyclestage = 'customer';
      values.hs_lifecyclestage_customer_date = iso(lead.closedAt!);
    } else {
      values.lifecyclestage = 'other';
      values.hs_lead_status = 'UNQUALIFIED';
      values.hs_lifecyclestage_other_date = iso(lead.closedAt!);
    }
    // Seeded records were last touched when they closed (or were created), not when the sandbox started.
    const contact = records.insertSeeded('contacts', values, lead.createdAt, lead.closedAt ?? lead.createdAt);
    if (lead.open) {
      ctx.hidden.hubspot.set(contact.id, lead.outcome);
      continue;
    }
    const won = lead.outcome === 'won';
    const deal = records.insertSeeded(
      'deals',
      {
        dealname: `Lead ${lead.externalId}`,
        pipeline: 'default',
        dealstage: won ? 'closedwon' : 'closedlost',
        closedate: iso(lead.closedAt!),
        hs_is_closed: 'true',
        hs_is_closed_won: String(won),
      },
      lead.createdAt + Math.floor((lead.closedAt! - lead.createdAt) / 2),
      lead.closedAt!,
    );
    records.associate(contact.id, deal.id);
  }
}

import type { SandboxContext, SeedLead } from '../context.js';
import { fieldNameForColumn } from '../field-name.js';
import { addLeadHistory } from './lead-history.js';
import { applyCreate } from './records.js';
import { createCustomField } from './schema/custom-fields.js';
import type { ObjectDef } from './schema/fields.js';
import { stateFor, type SalesforceState, type SfRecord } from './state.js';
import { formatDate, toSecond } from './values.js';
import { seedOptions, type SeedValueLabels } from '../seed-options.js';

/**
 * Turns seed rows into Salesforce data.
 *
 * Every CSV column becomes a Lead custom field: the column lower-cased, each run of other
 * characters turned into "_", leading/trailing "_" dropped (Salesforce forbids them), "f_" in
 * front of a leading digit, plus "__c" ("emp.var.rate" -> emp_var_rate__c). A column whose
 * non-empty values are all numbers is a Number field (precision 18, scale = most decimals seen,
 * at most 8), anything else Text(255).
 *
 * Outcomes, as a Salesforce org records them:
 * - won: converted (Status "Closed - Converted", ConvertedDate) into an Account, a Contact and an
 *   Opportunity at "Closed Won" (IsClosed, IsWon).
 * - lost: 3 in 10 (row index mod 10 < 3) were converted and their Opportunity is "Closed Lost";
 *   the other 7 were never converted, Status "Closed - Not Converted".
 * - open (the newest --open-fraction): "Open - Not Contacted" or "Working - Contacted"
 *   alternately, not converted; the true outcome only in ctx.hidden.salesforce (by Lead id).
 * Closed leads were last modified when they closed; open ones when they were created. With Lead
 * history on, each closed lead's LeadHistory has the Status change that closed it, from the
 * default "Open - Not Contacted", at that time.
 *
 * Nothing but the CSV describes a lead: standard fields a model could learn from (LeadSource, …)
 * stay empty, as on the HubSpot side, so both CRMs train on the same inputs. A value made up from
 * the row's position would be an input the data never had, and the model fits it.
 */

const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas'];

export function seedFieldName(column: string): string {
  let name = fieldNameForColumn(column).replace(/^_+|_+$/g, '');
  if (name === '') name = 'column';
  if (/^[0-9]/.test(name)) name = `f_${name}`;
  return `${name}__c`;
}

interface ColumnPlan {
  column: string;
  field: string;
  numeric: boolean;
}

function planColumns(leads: SeedLead[]): ColumnPlan[] {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const lead of leads) {
    for (const c of Object.keys(lead.values)) if (!seen.has(c)) (seen.add(c), columns.push(c));
  }
  return columns.map((column) => {
    let numeric = false;
    for (const lead of leads) {
      const v = lead.values[column];
      if (v === undefined || v.trim() === '') continue;
      if (!Number.isFinite(Number(v))) {
        numeric = false;
        break;
      }
      numeric = true;
    }
    return { column, field: seedFieldName(column), numeric };
  });
}

function scaleOf(leads: SeedLead[], column: string): number {
  let scale = 0;
  for (const lead of leads) {
    const v = lead.values[column] ?? '';
    const dot = v.indexOf('.');
    if (dot >= 0) scale = Math.max(scale, v.length - dot - 1);
  }
  return Math.min(scale, 8);
}

function ensureFields(state: SalesforceState, leads: SeedLead[], plans: ColumnPlan[], now: number, labels: Record<string, string>, valueLabels: SeedValueLabels): void {
  const lead = state.objects.get('lead')!;
  for (const p of plans) {
    if (lead.byName.has(p.field.toLowerCase())) continue;
    // Salesforce caps field labels at 40 characters.
    const label = (labels[p.column] ?? p.column).slice(0, 40) || p.field;
    // A column given value labels is a picklist, as an org admin would build it (seed-options.ts);
    // unrestricted, so a value outside the list is kept as written rather than refused.
    const options = p.numeric ? null : seedOptions(leads, p.column, valueLabels);
    const metadata = p.numeric
      ? { label, type: 'Number', precision: 18, scale: scaleOf(leads, p.column) }
      : options
        ? { label, type: 'Picklist', valueSet: { restricted: false, valueSetDefinition: { sorted: false, value: options.map((o) => ({ fullName: o.value, label: o.label, default: false })) } } }
        : { label, type: 'Text', length: 255 };
    createCustomField(state, `Lead.${p.field}`, metadata, now);
  }
}

/** A record with every field of the object present (null or its default). */
function blank(object: ObjectDef): SfRecord {
  const r: SfRecord = {};
  for (const f of object.fields) if (f.type !== 'address') r[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
  return r;
}

function closeStatus(state: SalesforceState, lead: SfRecord, at: number): void {
  lead.LastModifiedDate = lead.SystemModstamp = toSecond(at);
  if (state.tracksLeadHistory()) addLeadHistory(state, lead.Id as string, 'Status', 'Open - Not Contacted', lead.Status, at);
}

function inserter(state: SalesforceState, object: ObjectDef) {
  const template = blank(object);
  return (values: SfRecord, at: number): SfRecord =>
    applyCreate(state, object, { ...template, ...values, CreatedDate: at }, at);
}

export function seedSalesforce(ctx: SandboxContext, leads: SeedLead[], labels: Record<string, string> = {}, valueLabels: SeedValueLabels = {}): void {
  const state = stateFor(ctx);
  const plans = planColumns(leads);
  ensureFields(state, leads, plans, ctx.clock.now(), labels, valueLabels);
  const o = (name: string) => state.objects.get(name)!;
  const [insertLead, insertAccount, insertContact, insertOpportunity] =
    ['lead', 'account', 'contact', 'opportunity'].map((name) => inserter(state, o(name)));

  for (const seed of leads) {
    const firstName = FIRST_NAMES[seed.index % FIRST_NAMES.length];
    const lastName = `Lead ${seed.externalId}`;
    const company = `Company ${seed.externalId}`;
    const values: SfRecord = {
      FirstName: firstName,
      LastName: lastName,
      Company: company,
      Email: `lead${seed.index}@example.com`,
    };
    for (const p of plans) {
      const raw = seed.values[p.column];
      values[p.field] = raw === undefined || raw.trim() === '' ? null : p.numeric ? Number(raw) : raw.slice(0, 255);
    }
    if (seed.open) {
      values.Status = seed.index % 2 === 0 ? 'Open - Not Contacted' : 'Working - Contacted';
      const lead = insertLead(values, seed.createdAt);
      ctx.hidden.salesforce.set(lead.Id as string, seed.outcome);
      continue;
    }
    const closedAt = seed.closedAt ?? seed.createdAt;
    const converted = seed.outcome === 'won' || seed.index % 10 < 3;
    if (!converted) {
      values.Status = 'Closed - Not Converted';
      closeStatus(state, insertLead(values, seed.createdAt), closedAt);
      continue;
    }
    const account = insertAccount({ Name: company }, closedAt);
    const contact = insertContact({
      FirstName: firstName, LastName: lastName, Email: values.Email, AccountId: account.Id,
    }, closedAt);
    const opportunity = insertOpportunity({
      Name: `${company} - ${seed.externalId}`,
      AccountId: account.Id,
      ContactId: contact.Id,
      StageName: seed.outcome === 'won' ? 'Closed Won' : 'Closed Lost',
      CloseDate: formatDate(closedAt),
      Amount: 1000 + ((seed.index * 7919) % 49000),
      Probability: seed.outcome === 'won' ? 100 : 0,
    }, closedAt);
    Object.assign(values, {
      Status: 'Closed - Converted',
      IsConverted: true,
      ConvertedDate: formatDate(closedAt),
      ConvertedAccountId: account.Id,
      ConvertedContactId: contact.Id,
      ConvertedOpportunityId: opportunity.Id,
    });
    closeStatus(state, insertLead(values, seed.createdAt), closedAt);
  }
}

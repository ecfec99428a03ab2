import { KEY_PREFIX } from '../ids.js';
import { makeObjectDef, picklist, type FieldDef, type FieldType, type ObjectDef } from './fields.js';

/**
 * The standard objects the app reads and writes (Lead, its conversion targets Contact, Account
 * and Opportunity), with the standard fields, labels and picklist values of a new Salesforce org.
 */

export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

interface FieldOptions extends Partial<FieldDef> {}

export function field(name: string, label: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const lengths: Partial<Record<FieldType, number>> = {
    id: 18, reference: 18, string: 255, email: 80, phone: 40, url: 255, textarea: 32000, picklist: 255,
  };
  return {
    name,
    label,
    type,
    custom: false,
    createable: true,
    updateable: true,
    nillable: true,
    length: lengths[type] ?? 0,
    ...(type === 'double' || type === 'currency' ? { precision: 18, scale: 2 } : {}),
    ...options,
  };
}

export const readOnly: FieldOptions = { createable: false, updateable: false };

function systemFields(): FieldDef[] {
  return [
    field('Id', 'Record ID', 'id', { ...readOnly, nillable: false }),
    field('IsDeleted', 'Deleted', 'boolean', { ...readOnly, nillable: false }),
    field('OwnerId', 'Owner ID', 'reference', { nillable: false, referenceTo: ['User'], relationshipName: 'Owner' }),
    field('CreatedDate', 'Created Date', 'datetime', { ...readOnly, nillable: false }),
    field('CreatedById', 'Created By ID', 'reference', { ...readOnly, nillable: false, referenceTo: ['User'], relationshipName: 'CreatedBy' }),
    field('LastModifiedDate', 'Last Modified Date', 'datetime', { ...readOnly, nillable: false }),
    field('LastModifiedById', 'Last Modified By ID', 'reference', { ...readOnly, nillable: false, referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
    field('SystemModstamp', 'System Modstamp', 'datetime', { ...readOnly, nillable: false }),
  ];
}

/** Geocoding accuracy values, as Salesforce lists them for GeocodeAccuracy. */
const GEOCODE_ACCURACY = ['Address', 'NearAddress', 'Block', 'Street', 'ExtendedZip', 'Zip', 'Neighborhood', 'City', 'County', 'State', 'Unknown'];

/**
 * A standard address: its component fields, each an ordinary field that is written and filtered
 * on its own, then the compound Address over them, which the API only reads ("Compound fields
 * are read-only. To update field values, modify the individual field components").
 */
function addressFields(): FieldDef[] {
  const part = { compoundFieldName: 'Address' };
  const coordinate = { ...part, precision: 18, scale: 15 };
  return [
    field('Street', 'Street', 'textarea', { ...part, length: 255 }),
    field('City', 'City', 'string', { ...part, length: 40 }),
    field('State', 'State/Province', 'string', { ...part, length: 80 }),
    field('PostalCode', 'Zip/Postal Code', 'string', { ...part, length: 20 }),
    field('Country', 'Country', 'string', { ...part, length: 80 }),
    field('Latitude', 'Latitude', 'double', coordinate),
    field('Longitude', 'Longitude', 'double', coordinate),
    field('GeocodeAccuracy', 'Geocode Accuracy', 'picklist', { ...part, length: 40, restrictedPicklist: true, picklistValues: picklist(GEOCODE_ACCURACY) }),
    field('Address', 'Address', 'address', {
      ...readOnly,
      components: [
        ['city', 'City'], ['country', 'Country'], ['geocodeAccuracy', 'GeocodeAccuracy'], ['latitude', 'Latitude'],
        ['longitude', 'Longitude'], ['postalCode', 'PostalCode'], ['state', 'State'], ['street', 'Street'],
      ],
    }),
  ];
}

export function leadObject(): ObjectDef {
  return makeObjectDef({
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: KEY_PREFIX.Lead,
    fields: [
      ...systemFields(),
      field('FirstName', 'First Name', 'string', { length: 40 }),
      field('LastName', 'Last Name', 'string', { length: 80, nillable: false, required: true }),
      field('Name', 'Full Name', 'string', { ...readOnly, length: 121 }),
      field('Title', 'Title', 'string', { length: 128 }),
      field('Company', 'Company', 'string', { nillable: false, required: true }),
      ...addressFields(),
      field('Email', 'Email', 'email'),
      field('Phone', 'Phone', 'phone'),
      field('Industry', 'Industry', 'picklist', { picklistValues: picklist(['Banking', 'Technology', 'Retail', 'Other']) }),
      field('AnnualRevenue', 'Annual Revenue', 'currency'),
      field('NumberOfEmployees', 'Employees', 'int', { precision: 8, scale: 0 }),
      field('LeadSource', 'Lead Source', 'picklist', { picklistValues: picklist(LEAD_SOURCES) }),
      field('Status', 'Status', 'picklist', {
        nillable: false,
        picklistValues: picklist(LEAD_STATUSES, 'Open - Not Contacted'),
        defaultValue: 'Open - Not Contacted',
      }),
      field('Rating', 'Rating', 'picklist', { picklistValues: picklist(['Hot', 'Warm', 'Cold']) }),
      field('Description', 'Description', 'textarea'),
      field('IsConverted', 'Converted', 'boolean', { updateable: false, nillable: false, defaultValue: false }),
      field('ConvertedDate', 'Converted Date', 'date', readOnly),
      field('ConvertedAccountId', 'Converted Account ID', 'reference', { ...readOnly, referenceTo: ['Account'], relationshipName: 'ConvertedAccount' }),
      field('ConvertedContactId', 'Converted Contact ID', 'reference', { ...readOnly, referenceTo: ['Contact'], relationshipName: 'ConvertedContact' }),
      field('ConvertedOpportunityId', 'Converted Opportunity ID', 'reference', { ...readOnly, referenceTo: ['Opportunity'], relationshipName: 'ConvertedOpportunity' }),
      field('LastActivityDate', 'Last Activity', 'date', readOnly),
    ],
  });
}

export function contactObject(): ObjectDef {
  return makeObjectDef({
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: KEY_PREFIX.Contact,
    fields: [
      ...systemFields(),
      field('AccountId', 'Account ID', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }),
      field('FirstName', 'First Name', 'string', { length: 40 }),
      field('LastName', 'Last Name', 'string', { length: 80, nillable: false, required: true }),
      field('Name', 'Full Name', 'string', { ...readOnly, length: 121 }),
      field('Title', 'Title', 'string', { length: 128 }),
      field('Email', 'Email', 'email'),
      field('Phone', 'Business Phone', 'phone'),
      field('LeadSource', 'Lead Source', 'picklist', { picklistValues: picklist(LEAD_SOURCES) }),
      field('Description', 'Contact Description', 'textarea'),
    ],
  });
}

export function accountObject(): ObjectDef {
  return makeObjectDef({
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: KEY_PREFIX.Account,
    fields: [
      ...systemFields(),
      field('Name', 'Account Name', 'string', { nillable: false, required: true }),
      field('Industry', 'Industry', 'picklist', { picklistValues: picklist(['Banking', 'Technology', 'Retail', 'Other']) }),
      field('AnnualRevenue', 'Annual Revenue', 'currency'),
      field('NumberOfEmployees', 'Employees', 'int', { precision: 8, scale: 0 }),
      field('Description', 'Account Description', 'textarea'),
    ],
  });
}

export function opportunityObject(): ObjectDef {
  return makeObjectDef({
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: KEY_PREFIX.Opportunity,
    fields: [
      ...systemFields(),
      field('AccountId', 'Account ID', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }),
      field('ContactId', 'Contact ID', 'reference', { referenceTo: ['Contact'], relationshipName: 'Contact' }),
      field('Name', 'Name', 'string', { length: 120, nillable: false, required: true }),
      field('Description', 'Description', 'textarea'),
      field('StageName', 'Stage', 'picklist', {
        length: 40,
        nillable: false,
        required: true,
        picklistValues: picklist(OPPORTUNITY_STAGES),
      }),
      field('Amount', 'Amount', 'currency'),
      field('Probability', 'Probability (%)', 'percent', { precision: 3, scale: 0 }),
      field('CloseDate', 'Close Date', 'date', { nillable: false, required: true }),
      field('Type', 'Opportunity Type', 'picklist', { picklistValues: picklist(['Existing Customer - Upgrade', 'New Customer']) }),
      field('LeadSource', 'Lead Source', 'picklist', { picklistValues: picklist(LEAD_SOURCES) }),
      field('IsClosed', 'Closed', 'boolean', { ...readOnly, nillable: false }),
      field('IsWon', 'Won', 'boolean', { ...readOnly, nillable: false }),
    ],
  });
}

export function standardObjects(): ObjectDef[] {
  return [leadObject(), contactObject(), accountObject(), opportunityObject()];
}

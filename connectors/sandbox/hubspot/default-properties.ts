import type { ObjectType } from './object-types.js';

export interface PropertyOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
  hidden: boolean;
}

/** A property definition as the properties API returns it (timestamps as epoch ms here). */
export interface PropertyDef {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  description: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  /** System-maintained values (ids, timestamps) that API writes do not change. */
  readOnlyValue: boolean;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

export interface PropertyGroupDef {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
const LEAD_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'];
export const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];

type Spec = [name: string, label: string, type: string, fieldType: string, options?: string[], readOnlyValue?: boolean];

const title = (value: string) => value.charAt(0).toUpperCase() + value.slice(1).toLowerCase().replace(/_/g, ' ');

const CONTACT_SPECS: Spec[] = [
  ['email', 'Email', 'string', 'text'],
  ['firstname', 'First Name', 'string', 'text'],
  ['lastname', 'Last Name', 'string', 'text'],
  ['phone', 'Phone Number', 'string', 'phonenumber'],
  ['company', 'Company Name', 'string', 'text'],
  ['jobtitle', 'Job Title', 'string', 'text'],
  ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', LIFECYCLE_STAGES],
  ['hs_lead_status', 'Lead Status', 'enumeration', 'radio', LEAD_STATUSES],
  ['hubspot_owner_id', 'Contact owner', 'enumeration', 'select', []],
  ['createdate', 'Create Date', 'datetime', 'date', undefined, true],
  ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', undefined, true],
  ['hs_object_id', 'Record ID', 'number', 'number', undefined, true],
  // Set by a merge (store.ts merge): the ids merged into this record, ";"-separated.
  ['hs_merged_object_ids', 'Merged Contact IDs', 'enumeration', 'checkbox', [], true],
  ...LIFECYCLE_STAGES.map((stage): Spec => [`hs_lifecyclestage_${stage}_date`, `Became a ${stage} Date`, 'datetime', 'date', undefined, true]),
];

const DEAL_SPECS: Spec[] = [
  ['dealname', 'Deal Name', 'string', 'text'],
  ['amount', 'Amount', 'number', 'number'],
  ['dealstage', 'Deal Stage', 'enumeration', 'radio', DEAL_STAGES],
  ['pipeline', 'Pipeline', 'enumeration', 'select', ['default']],
  ['closedate', 'Close Date', 'datetime', 'date'],
  ['hubspot_owner_id', 'Deal owner', 'enumeration', 'select', []],
  ['createdate', 'Create Date', 'datetime', 'date', undefined, true],
  ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', undefined, true],
  ['hs_object_id', 'Record ID', 'number', 'number', undefined, true],
  ['hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', ['true', 'false'], true],
  ['hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', ['true', 'false'], true],
];

export const DEFAULT_GROUPS: Record<ObjectType, PropertyGroupDef[]> = {
  contacts: [{ name: 'contactinformation', label: 'Contact information', displayOrder: -1, archived: false }],
  deals: [{ name: 'dealinformation', label: 'Deal information', displayOrder: -1, archived: false }],
};

/** HubSpot's built-in properties the sandbox knows, per object type. */
export function defaultProperties(type: ObjectType, now: number): PropertyDef[] {
  const specs = type === 'contacts' ? CONTACT_SPECS : DEAL_SPECS;
  const group = DEFAULT_GROUPS[type][0].name;
  return specs.map(([name, label, propType, fieldType, options, readOnlyValue], i) => ({
    name,
    label,
    type: propType,
    fieldType,
    description: '',
    groupName: group,
    options: (options ?? []).map((value, order) => ({ label: propType === 'bool' ? title(value) : title(value), value, displayOrder: order, hidden: false })),
    displayOrder: i,
    hasUniqueValue: false,
    hidden: false,
    formField: !readOnlyValue,
    calculated: false,
    externalOptions: name === 'hubspot_owner_id',
    hubspotDefined: true,
    readOnlyValue: readOnlyValue ?? false,
    createdAt: now,
    updatedAt: now,
    archived: false,
  }));
}

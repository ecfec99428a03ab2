import { KEY_PREFIX } from '../ids.js';
import { makeObjectDef, picklist, type FieldDef, type FieldType, type ObjectDef } from './fields.js';

/**
 * LeadHistory as Salesforce describes it: read-only rows (query and retrieve only), Field and
 * LeadId filterable, OldValue and NewValue anyType (sortable, never filterable), CreatedDate the
 * time of the change. No LastModifiedDate or SystemModstamp: a history row is never edited.
 */

/** The Lead fields the sandbox org tracks (Field also lists "created", as Salesforce's picklist does). */
export const TRACKED_LEAD_FIELDS = ['Status'];

function readOnlyField(name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, label, type, custom: false, createable: false, updateable: false, nillable: false, length: type === 'id' || type === 'reference' ? 18 : 0, ...extra };
}

export function leadHistoryObject(): ObjectDef {
  return makeObjectDef({
    name: 'LeadHistory',
    label: 'Lead History',
    labelPlural: 'Lead History',
    keyPrefix: KEY_PREFIX.LeadHistory,
    fields: [
      readOnlyField('Id', 'Lead History ID', 'id'),
      readOnlyField('IsDeleted', 'Deleted', 'boolean'),
      readOnlyField('LeadId', 'Lead ID', 'reference', { referenceTo: ['Lead'], relationshipName: 'Lead' }),
      readOnlyField('CreatedById', 'Created By ID', 'reference', { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
      readOnlyField('CreatedDate', 'Created Date', 'datetime'),
      readOnlyField('Field', 'Changed Field', 'picklist', { length: 255, restrictedPicklist: true, picklistValues: picklist(['created', ...TRACKED_LEAD_FIELDS]) }),
      readOnlyField('DataType', 'Data Type', 'picklist', { length: 40, nillable: true }),
      readOnlyField('OldValue', 'Old Value', 'anyType', { length: 255, nillable: true }),
      readOnlyField('NewValue', 'New Value', 'anyType', { length: 255, nillable: true }),
    ],
  });
}

import { RecordError } from './errors.js';
import { normalizeId, USER_ID } from './ids.js';
import { applyCustomField, type FieldAccess } from './schema/custom-fields.js';
import type { ObjectDef } from './schema/fields.js';
import { PERMISSION_OBJECTS } from './schema/permission-objects.js';
import type { SalesforceState, SfRecord } from './state.js';

/**
 * Permission sets as field-level security: a FieldPermissions row on a permission set assigned to
 * the integration user (USER_ID, the one every sandbox token acts as) grants that user the field,
 * Read alone making it read-only, PermissionsEdit making it writable, on top of what its profile
 * has (state.ungranted / readOnlyFields, which the control API's field-security grant sets).
 *
 * What Salesforce checks on these writes is checked here: the user's rights ("Manage Profiles and
 * Permission Sets" to create permission sets and their field permissions, "Assign Permission
 * Sets" to assign them: the context's salesforceUserPermissions), a permission set's API name,
 * references to live records, the Field picklist (an existing field of SobjectType), Edit needing
 * Read, and uniqueness: one permission set per Name, one FieldPermissions row per permission set
 * and field, one assignment per user and permission set (DUPLICATE_VALUE).
 */

const PERMISSION_NAMES = new Set<string>(PERMISSION_OBJECTS);
const NAME_RULE = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

export function isPermissionObject(object: ObjectDef): boolean {
  return PERMISSION_NAMES.has(object.name);
}

const live = (state: SalesforceState, name: string): SfRecord[] => [...(state.records.get(name)?.values() ?? [])].filter((r) => r.IsDeleted !== true);

const duplicate = (): RecordError => new RecordError('DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>', []);
const insufficient = (): RecordError => new RecordError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);

/** A reference to anything but a live permission set (or, for AssigneeId, a user) is refused as Salesforce words it. */
function wrongReference(label: string, field: string, rawId: unknown): RecordError {
  return new RecordError('FIELD_INTEGRITY_EXCEPTION', `field integrity exception: unknown (${label}: id value of incorrect type: ${String(rawId)})`, [field]);
}

function livePermissionSet(state: SalesforceState, rawId: unknown, field: string, label: string): SfRecord {
  const id = typeof rawId === 'string' ? normalizeId(rawId) : null;
  const found = id ? state.records.get('PermissionSet')?.get(id) : undefined;
  if (!found || found.IsDeleted === true) throw wrongReference(label, field, rawId);
  return found;
}

/**
 * Checks a create (`selfId` null) or an update of a permission object, `record` being the
 * record as it would be stored. Canonicalizes FieldPermissions' SobjectType and Field to the
 * names Salesforce returns ("Lead.Lead_Score__c" however it was sent).
 */
export function checkPermissionWrite(state: SalesforceState, object: ObjectDef, record: SfRecord, selfId: string | null): void {
  const rights = state.userPermissions();
  if (object.name === 'PermissionSetAssignment' ? !rights.assignPermissionSets : !rights.managePermissionSets) throw insufficient();
  const others = (name: string) => live(state, name).filter((r) => r.Id !== selfId);
  switch (object.name) {
    case 'PermissionSet': {
      const name = String(record.Name ?? '');
      if (!NAME_RULE.test(name) || name.endsWith('_')) {
        throw new RecordError(
          'FIELD_INTEGRITY_EXCEPTION',
          'The Name field can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.',
          ['Name'],
        );
      }
      if (others('PermissionSet').some((r) => String(r.Name).toLowerCase() === name.toLowerCase())) {
        throw new RecordError('DUPLICATE_DEVELOPER_NAME', 'The API Name you entered is already in use. Please enter a unique API Name.', ['Name']);
      }
      return;
    }
    case 'FieldPermissions': {
      livePermissionSet(state, record.ParentId, 'ParentId', 'Parent ID');
      const target = state.objects.get(String(record.SobjectType).toLowerCase());
      if (!target || isPermissionObject(target)) {
        throw new RecordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `SObject Type Name: bad value for restricted picklist field: ${String(record.SobjectType)}`, ['SobjectType']);
      }
      const [prefix, fieldName = ''] = String(record.Field).split('.');
      const custom = [...state.customFields.values()].find((cf) => cf.FullName.toLowerCase() === `${target.name}.${fieldName}`.toLowerCase());
      const standard = target.byName.get(fieldName.toLowerCase());
      const canonical = custom?.FullName ?? (standard && !standard.custom && standard.updateable && !standard.required ? `${target.name}.${standard.name}` : null);
      if (prefix.toLowerCase() !== target.name.toLowerCase() || !canonical) {
        throw new RecordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Field Name: bad value for restricted picklist field: ${String(record.Field)}`, ['Field']);
      }
      if (record.PermissionsEdit === true && record.PermissionsRead !== true) {
        throw new RecordError('FIELD_INTEGRITY_EXCEPTION', `Permission Edit on ${canonical} depends on permission(s): Read`, ['PermissionsRead']);
      }
      record.SobjectType = target.name;
      record.Field = canonical;
      const key = canonical.toLowerCase();
      if (others('FieldPermissions').some((r) => r.ParentId === record.ParentId && String(r.Field).toLowerCase() === key)) throw duplicate();
      return;
    }
    case 'PermissionSetAssignment': {
      livePermissionSet(state, record.PermissionSetId, 'PermissionSetId', 'Permission Set ID');
      if (!String(record.AssigneeId ?? '').startsWith('005')) throw wrongReference('Assignee ID', 'AssigneeId', record.AssigneeId);
      if (others('PermissionSetAssignment').some((r) => r.AssigneeId === record.AssigneeId && r.PermissionSetId === record.PermissionSetId)) throw duplicate();
      return;
    }
  }
}

/** What the permission sets assigned to the integration user grant on a custom field (lower-cased FullName). */
export function permissionSetAccess(state: SalesforceState, fullNameKey: string): FieldAccess | 'none' {
  const assigned = new Set(live(state, 'PermissionSetAssignment').filter((a) => a.AssigneeId === USER_ID).map((a) => a.PermissionSetId));
  if (assigned.size === 0) return 'none';
  let access: FieldAccess | 'none' = 'none';
  for (const fp of live(state, 'FieldPermissions')) {
    if (!assigned.has(fp.ParentId) || String(fp.Field).toLowerCase() !== fullNameKey) continue;
    if (fp.PermissionsRead === true && fp.PermissionsEdit === true) return 'edit';
    if (fp.PermissionsRead === true) access = 'read';
  }
  return access;
}

/** After a permission object changed: each custom field shows what the user may now do with it. */
export function refreshFieldSecurity(state: SalesforceState): void {
  for (const cf of state.customFields.values()) applyCustomField(state, cf);
}

/** A deleted custom field takes its FieldPermissions rows with it, as in Salesforce. */
export function forgetFieldPermissions(state: SalesforceState, fullName: string): void {
  const rows = state.records.get('FieldPermissions');
  for (const [id, r] of rows ?? []) if (String(r.Field).toLowerCase() === fullName.toLowerCase()) rows!.delete(id);
}

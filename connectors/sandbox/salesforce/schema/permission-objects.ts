import { KEY_PREFIX } from '../ids.js';
import { makeObjectDef, type FieldDef, type ObjectDef } from './fields.js';
import { field, readOnly } from './standard-objects.js';

/**
 * The setup objects through which an integration grants field-level security without Setup:
 * PermissionSet, its FieldPermissions rows and the PermissionSetAssignment that gives it to a
 * user, with the fields, properties and key prefixes of the Salesforce Object Reference. A
 * FieldPermissions row's ParentId, SobjectType and Field, and an assignment's AssigneeId and
 * PermissionSetId, are Create but not Update: Salesforce changes them by delete and insert.
 * What the sandbox checks on their writes lives in ../permission-sets.ts.
 */

export const PERMISSION_OBJECTS = ['PermissionSet', 'FieldPermissions', 'PermissionSetAssignment'] as const;

const createOnly = { updateable: false } as const;

/** Setup objects have no owner and no recycle bin: only who created and changed them, and when. */
function auditFields(): FieldDef[] {
  return [
    field('CreatedDate', 'Created Date', 'datetime', { ...readOnly, nillable: false }),
    field('CreatedById', 'Created By ID', 'reference', { ...readOnly, nillable: false, referenceTo: ['User'], relationshipName: 'CreatedBy' }),
    field('LastModifiedDate', 'Last Modified Date', 'datetime', { ...readOnly, nillable: false }),
    field('LastModifiedById', 'Last Modified By ID', 'reference', { ...readOnly, nillable: false, referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
    field('SystemModstamp', 'System Modstamp', 'datetime', { ...readOnly, nillable: false }),
  ];
}

export function permissionSetObject(): ObjectDef {
  return makeObjectDef({
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: KEY_PREFIX.PermissionSet,
    fields: [
      field('Id', 'Permission Set ID', 'id', { ...readOnly, nillable: false }),
      field('Name', 'Name', 'string', { length: 80, nillable: false, required: true }),
      field('Label', 'Label', 'string', { length: 80, nillable: false, required: true }),
      field('Description', 'Description', 'string', { length: 255 }),
      field('HasActivationRequired', 'Session Activation Required', 'boolean', { nillable: false, defaultValue: false }),
      field('IsCustom', 'Custom', 'boolean', { ...readOnly, nillable: false, defaultValue: true }),
      field('IsOwnedByProfile', 'Is Owned By Profile', 'boolean', { ...readOnly, nillable: false, defaultValue: false }),
      field('NamespacePrefix', 'Namespace Prefix', 'string', { ...readOnly, length: 15 }),
      field('ProfileId', 'Profile ID', 'reference', { ...readOnly, referenceTo: ['Profile'], relationshipName: 'Profile' }),
      ...auditFields(),
    ],
  });
}

export function fieldPermissionsObject(): ObjectDef {
  return makeObjectDef({
    name: 'FieldPermissions',
    label: 'Field Permissions',
    labelPlural: 'Field Permissions',
    keyPrefix: KEY_PREFIX.FieldPermissions,
    fields: [
      field('Id', 'Field Permissions ID', 'id', { ...readOnly, nillable: false }),
      field('ParentId', 'Parent ID', 'reference', { ...createOnly, nillable: false, required: true, referenceTo: ['PermissionSet'], relationshipName: 'Parent' }),
      field('SobjectType', 'SObject Type Name', 'picklist', { ...createOnly, length: 40, nillable: false, required: true }),
      field('Field', 'Field Name', 'picklist', { ...createOnly, length: 255, nillable: false, required: true }),
      field('PermissionsRead', 'Read Field', 'boolean', { nillable: false, defaultValue: false }),
      field('PermissionsEdit', 'Edit Field', 'boolean', { nillable: false, defaultValue: false }),
      ...auditFields(),
    ],
  });
}

export function permissionSetAssignmentObject(): ObjectDef {
  return makeObjectDef({
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: KEY_PREFIX.PermissionSetAssignment,
    fields: [
      field('Id', 'Permission Set Assignment ID', 'id', { ...readOnly, nillable: false }),
      field('AssigneeId', 'Assignee ID', 'reference', { ...createOnly, nillable: false, required: true, referenceTo: ['User'], relationshipName: 'Assignee' }),
      field('PermissionSetId', 'Permission Set ID', 'reference', { ...createOnly, nillable: false, required: true, referenceTo: ['PermissionSet'], relationshipName: 'PermissionSet' }),
      field('PermissionSetGroupId', 'Permission Set Group ID', 'reference', { ...readOnly, referenceTo: ['PermissionSetGroup'], relationshipName: 'PermissionSetGroup' }),
      field('IsActive', 'Active', 'boolean', { ...readOnly, nillable: false, defaultValue: true }),
      field('ExpirationDate', 'Expiration Date', 'datetime', {}),
      ...auditFields(),
    ],
  });
}

export function permissionObjects(): ObjectDef[] {
  return [permissionSetObject(), fieldPermissionsObject(), permissionSetAssignmentObject()];
}

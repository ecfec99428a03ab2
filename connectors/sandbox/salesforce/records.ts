import { RecordError, SalesforceApiError } from './errors.js';
import { makeId, normalizeId, USER_ID } from './ids.js';
import { recordLeadChanges } from './lead-history.js';
import { checkPermissionWrite, isPermissionObject, refreshFieldSecurity } from './permission-sets.js';
import type { ObjectDef } from './schema/fields.js';
import { nextSerial, recordsOf, type SalesforceState, type SfRecord } from './state.js';
import { parseInput, toSecond, type ValueSource } from './values.js';

/**
 * Record writes shared by the single-record REST calls, sObject Collections and Bulk API jobs.
 * Each write is validated first (nothing changes) and applied second, so a caller can check a
 * whole batch before it touches anything (allOrNone). Every applied write stamps
 * LastModifiedDate and SystemModstamp with the sandbox clock, and an update of a tracked Lead
 * field adds its LeadHistory row. A converted lead cannot be updated (CANNOT_UPDATE_CONVERTED_LEAD)
 * unless the salesforceEditConvertedLeads option says the org lets users edit converted leads.
 * Writes of PermissionSet, FieldPermissions and PermissionSetAssignment are checked as Salesforce
 * checks them, and change the integration user's field-level security (permission-sets.ts).
 */

/** Keys a client may send that are not fields. */
const ENVELOPE_KEYS = new Set(['attributes', 'type']);

export function objectByName(state: SalesforceState, name: string): ObjectDef | undefined {
  return state.objects.get(name.toLowerCase());
}

/** The object a REST path names, or NOT_FOUND as Salesforce answers an unknown sobject. */
export function requireObject(state: SalesforceState, name: string): ObjectDef {
  const object = objectByName(state, name);
  if (!object) {
    throw new SalesforceApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
  }
  return object;
}

function parseFields(
  object: ObjectDef,
  input: Record<string, unknown>,
  mode: 'create' | 'update',
  source: ValueSource,
): SfRecord {
  const changes: SfRecord = {};
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (ENVELOPE_KEYS.has(key) || key.toLowerCase() === 'id') continue;
    const field = object.byName.get(key.toLowerCase());
    if (!field) {
      throw new RecordError('INVALID_FIELD', `No such column '${key}' on sobject of type ${object.name}`, [key]);
    }
    if (mode === 'create' ? !field.createable : !field.updateable) {
      readOnly.push(field.name);
      continue;
    }
    changes[field.name] = parseInput(field, raw, source);
  }
  if (readOnly.length > 0) {
    throw new RecordError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }
  return changes;
}

function checkRequired(object: ObjectDef, record: SfRecord): void {
  const missing = object.fields
    .filter((f) => f.required && (record[f.name] === null || record[f.name] === undefined || record[f.name] === ''))
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new RecordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }
}

/** Fields Salesforce computes from others. */
function derive(object: ObjectDef, record: SfRecord): void {
  if (object.name === 'Lead' || object.name === 'Contact') {
    record.Name = [record.FirstName, record.LastName].filter((v) => v).join(' ');
  }
  if (object.name === 'Opportunity') {
    record.IsClosed = record.StageName === 'Closed Won' || record.StageName === 'Closed Lost';
    record.IsWon = record.StageName === 'Closed Won';
  }
}

/** A full new record (not yet stored); throws RecordError if it cannot be created. */
export function validateCreate(
  state: SalesforceState,
  object: ObjectDef,
  input: Record<string, unknown>,
  source: ValueSource,
): SfRecord {
  if (input.Id !== undefined || input.id !== undefined) {
    throw new RecordError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
  }
  const changes = parseFields(object, input, 'create', source);
  const record: SfRecord = {};
  for (const f of object.fields) {
    // Not stored: Tooling metadata, and compound fields (read from their components).
    if (f.type === 'complexvalue' || f.type === 'address') continue;
    record[f.name] = f.name in changes ? changes[f.name] : (f.defaultValue ?? (f.type === 'boolean' ? false : null));
  }
  checkRequired(object, record);
  if (isPermissionObject(object)) checkPermissionWrite(state, object, record, null);
  return record;
}

/** Stores a validated new record with its id and system fields. */
export function applyCreate(state: SalesforceState, object: ObjectDef, record: SfRecord, stampedAt: number): SfRecord {
  const now = toSecond(stampedAt);
  record.Id = makeId(object.keyPrefix, nextSerial(state));
  record.IsDeleted = false;
  record.OwnerId ??= USER_ID;
  // A seeded record brings its own CreatedDate, kept to the second like every stamp.
  record.CreatedDate = typeof record.CreatedDate === 'number' ? toSecond(record.CreatedDate) : now;
  record.CreatedById = USER_ID;
  record.LastModifiedDate = now;
  record.LastModifiedById = USER_ID;
  record.SystemModstamp = now;
  derive(object, record);
  recordsOf(state, object.name).set(record.Id as string, record);
  if (isPermissionObject(object)) refreshFieldSecurity(state);
  return record;
}

/** The live (not deleted) record with this id, or the RecordError Salesforce gives. */
export function liveRecord(state: SalesforceState, object: ObjectDef, rawId: unknown): SfRecord {
  const id = typeof rawId === 'string' ? normalizeId(rawId) : null;
  if (!id) throw new RecordError('MALFORMED_ID', `${object.name} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
  const record = recordsOf(state, object.name).get(id);
  if (!record) {
    if (!id.startsWith(object.keyPrefix)) {
      throw new RecordError('MALFORMED_ID', `${object.name} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
    }
    throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  }
  if (record.IsDeleted) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted', []);
  return record;
}

/** The validated changes for an update of an existing record. */
export function validateUpdate(
  state: SalesforceState,
  object: ObjectDef,
  id: unknown,
  input: Record<string, unknown>,
  source: ValueSource,
): { record: SfRecord; changes: SfRecord } {
  const record = liveRecord(state, object, id);
  // Conversion freezes a lead: a new org refuses every update of it, whichever API sends it.
  if (object.name === 'Lead' && record.IsConverted === true && !state.editsConvertedLeads()) {
    throw new RecordError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
  }
  const changes = parseFields(object, input, 'update', source);
  checkRequired(object, { ...record, ...changes });
  if (isPermissionObject(object)) {
    const after = { ...record, ...changes };
    checkPermissionWrite(state, object, after, record.Id as string);
    for (const key of Object.keys(changes)) changes[key] = after[key];
  }
  return { record, changes };
}

export function applyUpdate(state: SalesforceState, object: ObjectDef, record: SfRecord, changes: SfRecord, stampedAt: number): void {
  const now = toSecond(stampedAt);
  if (object.name === 'Lead') recordLeadChanges(state, record, changes, now);
  Object.assign(record, changes);
  record.LastModifiedDate = now;
  record.LastModifiedById = USER_ID;
  record.SystemModstamp = now;
  derive(object, record);
  if (isPermissionObject(object)) refreshFieldSecurity(state);
}

/** Soft delete: the record stays for queryAll with IsDeleted = true, as in the Recycle Bin. */
export function applyDelete(state: SalesforceState, object: ObjectDef, record: SfRecord, stampedAt: number): void {
  const now = toSecond(stampedAt);
  record.IsDeleted = true;
  record.LastModifiedDate = now;
  record.SystemModstamp = now;
  if (isPermissionObject(object)) refreshFieldSecurity(state);
}

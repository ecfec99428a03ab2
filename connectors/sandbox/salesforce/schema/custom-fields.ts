import { z } from 'zod';
import { SalesforceApiError } from '../errors.js';
import { KEY_PREFIX, makeId } from '../ids.js';
import type { SalesforceState } from '../state.js';
import { nextSerial } from '../state.js';
import { toSecond } from '../values.js';
import { addField, makeObjectDef, removeField, type FieldDef, type ObjectDef } from './fields.js';
import { permissionSetAccess } from '../permission-sets.js';

/**
 * Custom fields, as the Tooling API's CustomField object describes them (FullName
 * "Lead.Lead_Score__c" plus a Metadata block), and how each becomes a describe field.
 */

const valueSchema = z.object({
  fullName: z.string().min(1),
  label: z.string().optional(),
  default: z.boolean().optional(),
  isActive: z.boolean().nullish(),
});

export const metadataSchema = z
  .object({
    label: z.string().min(1).max(40),
    type: z.enum(['Number', 'Text', 'LongTextArea', 'TextArea', 'Picklist', 'DateTime', 'Date', 'Checkbox', 'Email', 'Currency', 'Percent']),
    precision: z.number().int().positive().max(18).nullish(),
    scale: z.number().int().min(0).max(17).nullish(),
    length: z.number().int().positive().max(131072).nullish(),
    visibleLines: z.number().int().positive().nullish(),
    description: z.string().nullish(),
    inlineHelpText: z.string().nullish(),
    externalId: z.boolean().nullish(),
    required: z.boolean().nullish(),
    unique: z.boolean().nullish(),
    defaultValue: z.string().nullish(),
    valueSet: z
      .object({
        restricted: z.boolean().nullish(),
        valueSetDefinition: z.object({ sorted: z.boolean().nullish(), value: z.array(valueSchema) }),
      })
      .nullish(),
  })
  .passthrough();

export type CustomFieldMetadata = z.infer<typeof metadataSchema>;

export interface CustomFieldRecord {
  Id: string;
  DeveloperName: string;
  TableEnumOrId: string;
  FullName: string;
  NamespacePrefix: null;
  Metadata: CustomFieldMetadata;
  CreatedDate: number;
  LastModifiedDate: number;
}

function integrity(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'FIELD_INTEGRITY_EXCEPTION', message);
}

/** Checks what Salesforce checks per type before it creates the field. */
export function checkMetadata(raw: unknown): CustomFieldMetadata {
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.') || 'Metadata';
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Cannot deserialize Metadata.${where}: ${issue.message}`);
  }
  const m = parsed.data;
  const need = (key: string) => integrity(`Must specify '${key}' for a CustomField of type ${m.type}`);
  switch (m.type) {
    case 'Number':
    case 'Currency':
    case 'Percent':
      if (m.precision == null) throw need('precision');
      if (m.scale == null) throw need('scale');
      if (m.scale > m.precision) throw integrity('Scale must be less than or equal to precision');
      break;
    case 'Text':
      if (m.length == null) throw need('length');
      if (m.length > 255) throw integrity('Length cannot exceed 255');
      break;
    case 'LongTextArea':
      if (m.length == null) throw need('length');
      if (m.visibleLines == null) throw need('visibleLines');
      break;
    case 'Picklist':
      if (!m.valueSet || m.valueSet.valueSetDefinition.value.length === 0) throw need('valueSet');
      break;
    default:
      break;
  }
  return m;
}

export function fieldFromMetadata(name: string, m: CustomFieldMetadata): FieldDef {
  const base: FieldDef = {
    name,
    label: m.label,
    type: 'string',
    custom: true,
    createable: true,
    updateable: true,
    nillable: !m.required,
    externalId: !!m.externalId,
    inlineHelpText: m.inlineHelpText ?? null,
    length: 0,
  };
  switch (m.type) {
    case 'Number':
      return { ...base, type: 'double', precision: m.precision!, scale: m.scale! };
    case 'Currency':
      return { ...base, type: 'currency', precision: m.precision!, scale: m.scale! };
    case 'Percent':
      return { ...base, type: 'percent', precision: m.precision!, scale: m.scale! };
    case 'Text':
      return { ...base, type: 'string', length: m.length! };
    case 'TextArea':
      return { ...base, type: 'textarea', length: 255, extraTypeInfo: 'plaintextarea' };
    case 'LongTextArea':
      return { ...base, type: 'textarea', length: m.length!, visibleLines: m.visibleLines!, extraTypeInfo: 'plaintextarea' };
    case 'Email':
      return { ...base, type: 'email', length: 80 };
    case 'Date':
      return { ...base, type: 'date' };
    case 'DateTime':
      return { ...base, type: 'datetime' };
    case 'Checkbox':
      return { ...base, type: 'boolean', nillable: false, defaultValue: m.defaultValue === 'true' };
    case 'Picklist': {
      const values = m.valueSet!.valueSetDefinition.value;
      return {
        ...base,
        type: 'picklist',
        length: 255,
        restrictedPicklist: !!m.valueSet!.restricted,
        // Describe lists the active values only; a deactivated one is kept in Metadata (and on records).
        picklistValues: values.filter((v) => v.isActive !== false).map((v) => ({
          value: v.fullName,
          label: v.label ?? v.fullName,
          active: true,
          defaultValue: !!v.default,
          validFor: null,
        })),
      };
    }
  }
}

/**
 * Adds (or replaces) the field a CustomField row describes on its object, once the user may see
 * it; read-only when the user may read but not edit it, as describe then says. The user's access
 * is the wider of its profile's (ungranted, readOnlyFields) and its permission sets'.
 */
export function applyCustomField(state: SalesforceState, cf: CustomFieldRecord): void {
  const key = cf.FullName.toLowerCase();
  const [objectName, fieldName] = cf.FullName.split('.');
  const object = state.objects.get(objectName.toLowerCase());
  if (!object) return;
  const profile: FieldAccess | 'none' = state.ungranted.has(key) ? 'none' : state.readOnlyFields.has(key) ? 'read' : 'edit';
  const sets = profile === 'edit' ? 'none' : permissionSetAccess(state, key);
  const access = profile === 'edit' || sets === 'edit' ? 'edit' : profile === 'read' || sets === 'read' ? 'read' : 'none';
  if (access === 'none') {
    removeField(object, fieldName);
    return;
  }
  const field = fieldFromMetadata(fieldName, cf.Metadata);
  addField(object, access === 'read' ? { ...field, createable: false, updateable: false } : field);
}

/**
 * Creates a custom field. FullName is "Object.Name__c"; Salesforce requires the __c suffix and
 * a name of letters, digits and single underscores starting with a letter. `secured`: the field
 * starts without field-level security for the integration user (see grantFieldSecurity).
 */
export function createCustomField(
  state: SalesforceState,
  fullName: unknown,
  metadata: unknown,
  now: number,
  secured = false,
): CustomFieldRecord {
  if (typeof fullName !== 'string' || !fullName.includes('.')) {
    throw new SalesforceApiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [FullName]', ['FullName']);
  }
  const [objectName, fieldName] = fullName.split('.');
  const object = state.objects.get(objectName.toLowerCase());
  if (!object) {
    throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', `Cannot find an entity named ${objectName}`, ['FullName']);
  }
  if (!/^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$/.test(fieldName)) {
    throw new SalesforceApiError(400, 'FIELD_INTEGRITY_EXCEPTION', `Invalid custom field name: ${fieldName}. The name must end with __c, begin with a letter and use only letters, digits and single underscores.`, ['FullName']);
  }
  const taken = [...state.customFields.values()].some((cf) => cf.FullName.toLowerCase() === `${object.name}.${fieldName}`.toLowerCase());
  if (object.byName.has(fieldName.toLowerCase()) || taken) {
    throw new SalesforceApiError(400, 'DUPLICATE_DEVELOPER_NAME', `There is already a field named ${fieldName.slice(0, -3)} on ${object.name}.`, ['FullName']);
  }
  const m = checkMetadata(metadata);
  const record: CustomFieldRecord = {
    Id: makeId(KEY_PREFIX.CustomField, nextSerial(state)),
    DeveloperName: fieldName.slice(0, -3),
    TableEnumOrId: object.name,
    FullName: `${object.name}.${fieldName}`,
    NamespacePrefix: null,
    Metadata: m,
    CreatedDate: toSecond(now),
    LastModifiedDate: toSecond(now),
  };
  state.customFields.set(record.Id, record);
  if (secured) state.ungranted.add(record.FullName.toLowerCase());
  applyCustomField(state, record);
  return record;
}

export type FieldAccess = 'read' | 'edit';

/**
 * Sets the integration user's field-level security on custom fields ("Lead.Lead_Score__c"), as an
 * admin does in Set Field-Level Security: 'edit' is Read and Edit Access, from then on describe
 * lists them and queries and writes take them; 'read' is Read Access alone, so they are listed
 * and read but every write naming them is refused. Returns the names whose access changed.
 */
export function grantFieldSecurity(state: SalesforceState, fullNames: string[], access: FieldAccess = 'edit'): string[] {
  const granted: string[] = [];
  for (const cf of state.customFields.values()) {
    const key = cf.FullName.toLowerCase();
    if (!fullNames.some((n) => n.toLowerCase() === key)) continue;
    const before = state.ungranted.has(key) ? 'none' : state.readOnlyFields.has(key) ? 'read' : 'edit';
    if (before === access) continue;
    state.ungranted.delete(key);
    if (access === 'read') state.readOnlyFields.add(key);
    else state.readOnlyFields.delete(key);
    applyCustomField(state, cf);
    granted.push(cf.FullName);
  }
  return granted;
}

/** PATCH: new Metadata replaces the old (Salesforce does not merge); the type may not change. */
export function updateCustomField(state: SalesforceState, id: string, metadata: unknown, now: number): void {
  const record = state.customFields.get(id);
  if (!record) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const m = checkMetadata(metadata);
  if (m.type !== record.Metadata.type) {
    throw new SalesforceApiError(400, 'FIELD_INTEGRITY_EXCEPTION', `Cannot change type of ${record.FullName} from ${record.Metadata.type} to ${m.type} through the sandbox`);
  }
  record.Metadata = keepOmittedValues(record.Metadata, m);
  record.LastModifiedDate = toSecond(now);
  applyCustomField(state, record);
}

/**
 * Salesforce deactivates, never deletes, a picklist value missing from the update ("If picklist
 * values are missing from a component definition, they get deactivated", Metadata API CustomValue):
 * records keep it, retrieve returns it with isActive false, and naming it again reactivates it.
 */
function keepOmittedValues(before: CustomFieldMetadata, after: CustomFieldMetadata): CustomFieldMetadata {
  const old = before.valueSet?.valueSetDefinition.value ?? [];
  const set = after.valueSet;
  if (!set || old.length === 0) return after;
  const named = new Set(set.valueSetDefinition.value.map((v) => v.fullName.toLowerCase()));
  const omitted = old.filter((v) => !named.has(v.fullName.toLowerCase())).map((v) => ({ ...v, default: false, isActive: false }));
  if (omitted.length === 0) return after;
  return { ...after, valueSet: { ...set, valueSetDefinition: { ...set.valueSetDefinition, value: [...set.valueSetDefinition.value, ...omitted] } } };
}

/** The Tooling API's CustomField object, as the SOQL engine sees it. */
export function customFieldObject(): ObjectDef {
  const ro = { custom: false, createable: false, updateable: false, nillable: true } as const;
  return makeObjectDef({
    name: 'CustomField',
    label: 'Custom Field Definition',
    labelPlural: 'Custom Field Definitions',
    keyPrefix: KEY_PREFIX.CustomField,
    urlBase: 'tooling/sobjects',
    fields: [
      { ...ro, name: 'Id', label: 'Custom Field Definition ID', type: 'id', nillable: false },
      { ...ro, name: 'DeveloperName', label: 'Field Name', type: 'string', length: 40 },
      { ...ro, name: 'TableEnumOrId', label: 'Table Enum or ID', type: 'string', length: 40 },
      { ...ro, name: 'NamespacePrefix', label: 'Namespace Prefix', type: 'string', length: 15 },
      { ...ro, name: 'FullName', label: 'Full Name', type: 'string', length: 255 },
      { ...ro, name: 'Metadata', label: 'Metadata', type: 'complexvalue' },
      { ...ro, name: 'CreatedDate', label: 'Created Date', type: 'datetime' },
      { ...ro, name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime' },
    ],
  });
}

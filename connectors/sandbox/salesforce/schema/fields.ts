/**
 * How the sandbox models an sObject's fields: enough to answer describe the way jsforce and the
 * app read it, to validate writes, and to type-check SOQL literals.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'phone'
  | 'url'
  | 'textarea'
  | 'picklist'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  /** Tooling API only (CustomField.Metadata): a JSON object, selectable but not filterable. */
  | 'complexvalue'
  /** History OldValue / NewValue: whatever the tracked field holds; selectable and sortable, not filterable. */
  | 'anyType'
  /**
   * A compound address (Lead.Address): read-only, stored nowhere, read as one JSON object built
   * from its component fields; selectable only (not filterable, sortable or groupable).
   */
  | 'address';

export interface PicklistEntry {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
  validFor: null;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** Required on create (nillable false and not defaulted). */
  required?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  picklistValues?: PicklistEntry[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  relationshipName?: string | null;
  externalId?: boolean;
  defaultValue?: unknown;
  /** textarea: visible lines; LongTextArea fields are textareas with extraTypeInfo plaintextarea. */
  visibleLines?: number;
  extraTypeInfo?: string | null;
  inlineHelpText?: string | null;
  /** A component of a compound field (Street of Address): describe's compoundFieldName. */
  compoundFieldName?: string;
  /** A compound field: its JSON key -> component field name, in the order Salesforce returns them. */
  components?: Array<[string, string]>;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  /** Field definitions in describe order. */
  fields: FieldDef[];
  /** Lower-cased field name -> definition: SOQL and the REST API ignore case in names. */
  byName: Map<string, FieldDef>;
  /** Path segment of record URLs: "sobjects" or "tooling/sobjects". */
  urlBase: 'sobjects' | 'tooling/sobjects';
}

export function makeObjectDef(
  def: Omit<ObjectDef, 'byName' | 'urlBase'> & { urlBase?: ObjectDef['urlBase'] },
): ObjectDef {
  const object: ObjectDef = { ...def, urlBase: def.urlBase ?? 'sobjects', byName: new Map() };
  for (const f of def.fields) object.byName.set(f.name.toLowerCase(), f);
  return object;
}

export function addField(object: ObjectDef, field: FieldDef): void {
  const key = field.name.toLowerCase();
  const existing = object.byName.get(key);
  if (existing) object.fields[object.fields.indexOf(existing)] = field;
  else object.fields.push(field);
  object.byName.set(key, field);
}

export function removeField(object: ObjectDef, name: string): void {
  const existing = object.byName.get(name.toLowerCase());
  if (!existing) return;
  object.fields.splice(object.fields.indexOf(existing), 1);
  object.byName.delete(name.toLowerCase());
}

export function picklist(values: string[], defaultValue?: string): PicklistEntry[] {
  return values.map((v) => ({
    value: v,
    label: v,
    active: true,
    defaultValue: v === defaultValue,
    validFor: null,
  }));
}

export const isTextType = (t: FieldType): boolean =>
  t === 'id' || t === 'string' || t === 'email' || t === 'phone' || t === 'url' ||
  t === 'textarea' || t === 'picklist' || t === 'reference';

export const isNumberType = (t: FieldType): boolean =>
  t === 'double' || t === 'currency' || t === 'percent' || t === 'int';

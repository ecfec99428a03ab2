import { dateValueMs } from './date-values.js';
import type { PropertyDef } from './default-properties.js';
import { invalidEmailMessage, isValidEmail } from './email-address.js';
import { edgeWhitespaceMessage, hasEdgeWhitespace, isPlainDecimal } from './value-syntax.js';

export interface PropertyValueError {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

export type CheckedValues = { ok: true; values: Record<string, string> } | { ok: false; errors: PropertyValueError[] };

/**
 * Checks values against the property definitions the way HubSpot does before a write: unknown
 * properties, read-only ones (hs_object_id, createdate, the last-modified and lifecycle-stage
 * dates: HubSpot computes them and answers READ_ONLY_VALUE, even for an empty value), options
 * outside an enumeration, numbers that are not plain decimals, non-string values with leading or
 * trailing whitespace (value-syntax.ts), dates that are neither epoch ms nor ISO 8601
 * (date-values.ts), date (not datetime) values that are not midnight UTC and malformed contact
 * emails (email-address.ts) are rejected; dates are stored the way HubSpot returns them (ISO 8601).
 */
export function checkPropertyValues(defs: Map<string, PropertyDef>, input: unknown): CheckedValues {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [fail('properties', 'INVALID_INPUT', 'properties must be an object of property names to values')] };
  }
  const values: Record<string, string> = {};
  const errors: PropertyValueError[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = defs.get(name);
    if (!def || def.archived) {
      errors.push(fail(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.readOnlyValue) {
      errors.push(fail(name, 'READ_ONLY_VALUE', `"${name}" is a calculated property; its value cannot be set.`));
      continue;
    }
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (value === '') {
      values[name] = '';
      continue;
    }
    const checked = checkOne(def, value);
    if (typeof checked === 'string') values[name] = checked;
    else errors.push(checked);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

function checkOne(def: PropertyDef, value: string): string | PropertyValueError {
  // The HubSpot-defined `email` exists on contacts only.
  if (def.hubspotDefined && def.name === 'email' && !isValidEmail(value)) return fail(def.name, 'INVALID_EMAIL', invalidEmailMessage(value));
  if (def.type !== 'string' && hasEdgeWhitespace(value)) return fail(def.name, 'LEADING_TRAILING_WHITESPACE', edgeWhitespaceMessage(value));
  switch (def.type) {
    case 'number':
      // HubSpot's code for this is INVALID_INTEGER even on a property that takes decimals (value-syntax.ts).
      return isPlainDecimal(value) ? value : fail(def.name, 'INVALID_INTEGER', `${value} was not a valid number.`);
    case 'bool':
      return value === 'true' || value === 'false' ? value : fail(def.name, 'INVALID_BOOLEAN', `${value} was not a valid boolean (true or false).`);
    case 'datetime':
    case 'date': {
      const ms = dateValueMs(value);
      // Text that is neither ISO 8601 nor epoch ms reaches HubSpot's validator as a would-be epoch; its words.
      if (ms === null) return fail(def.name, 'INVALID_LONG', `${value} was not a valid long.`);
      // HubSpot refuses a date with a time of day rather than dropping it (midnight elsewhere than UTC too).
      if (def.type === 'date' && timeOfDay(ms) !== 0) return fail(def.name, 'INVALID_DATE', notMidnightMessage(ms));
      const isoValue = new Date(ms).toISOString();
      return def.type === 'date' ? isoValue.slice(0, 10) : isoValue;
    }
    case 'enumeration': {
      if (def.externalOptions) return value;
      const allowed = new Set(def.options.map((o) => o.value));
      const chosen = def.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = chosen.find((v) => !allowed.has(v));
      return bad === undefined
        ? value
        : fail(def.name, 'INVALID_OPTION', `${bad} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}]`);
    }
    default:
      return value;
  }
}

const DAY_MS = 86_400_000;

const timeOfDay = (ms: number) => ((ms % DAY_MS) + DAY_MS) % DAY_MS;

/** HubSpot's words, its time unpadded: "1786334400000 is at 4:0:0.0 UTC, not midnight!". */
function notMidnightMessage(ms: number): string {
  const t = timeOfDay(ms);
  return `${ms} is at ${Math.floor(t / 3_600_000)}:${Math.floor(t / 60_000) % 60}:${Math.floor(t / 1000) % 60}.${t % 1000} UTC, not midnight!`;
}

export function fail(name: string, error: string, message: string): PropertyValueError {
  return { isValid: false, message, error, name };
}

/**
 * HubSpot's 400 for invalid values gives the list only as JSON text inside the message
 * ("Property values were not valid: [{...}]"), with no `errors` array beside it.
 */
export function propertyErrorsMessage(errors: PropertyValueError[]): string {
  return `Property values were not valid: ${JSON.stringify(errors)}`;
}

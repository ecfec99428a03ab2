import { RecordError, SalesforceApiError } from './errors.js';
import { normalizeId } from './ids.js';
import type { FieldDef } from './schema/fields.js';

/**
 * Field values in and out. Stored datetimes are epoch ms (fast to compare and sort), dates are
 * YYYY-MM-DD strings; on the wire datetimes look like Salesforce's "2024-01-01T00:00:00.000+0000".
 */

/**
 * The instant Salesforce keeps: dateTime fields are "full timestamps with a precision of one
 * second" (Primitive Data Types), so the milliseconds of a write or of the clock are dropped.
 * Records written within one second share their stamps, as a busy org's do.
 */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function outputValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.type === 'datetime') return formatDateTime(value as number);
  return value;
}

/**
 * A field's value on the wire, read from its record: a compound field is built from its components
 * (null when they are all empty, as Salesforce returns an address no part of which is set).
 */
export function readValue(field: FieldDef, record: Record<string, unknown>): unknown {
  if (!field.components) return outputValue(field, record[field.name]);
  const value: Record<string, unknown> = {};
  let set = false;
  for (const [key, part] of field.components) {
    value[key] = record[part] ?? null;
    if (value[key] !== null) set = true;
  }
  return set ? value : null;
}

/** Datetime text as Salesforce accepts it: ISO 8601 with Z or an offset (+0000 or +00:00). */
export function parseDateTime(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  if (!m) return null;
  const time = m[2] ?? '00:00:00';
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${time}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

export function parseDate(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T.*)?$/.exec(text.trim());
  if (!m || Number.isNaN(Date.parse(m[1]))) return null;
  return m[1];
}

export type ValueSource = 'json' | 'csv';

/**
 * A JSON body with a value of the wrong type is rejected whole by Salesforce's deserializer
 * (JSON_PARSER_ERROR); a CSV row in a Bulk API job fails on its own.
 */
function typeMismatch(field: FieldDef, raw: unknown, source: ValueSource): Error {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (source === 'json') {
    return new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${field.type} from value ${shown} for field ${field.name}`);
  }
  return new RecordError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${shown}`, [field.name]);
}

/** Converts an incoming value to its stored form and checks it against the field's limits. */
export function parseInput(field: FieldDef, raw: unknown, source: ValueSource): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'TRUE' || raw === '1') return true;
      if (raw === 'false' || raw === 'FALSE' || raw === '0') return false;
      throw typeMismatch(field, raw, source);
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw typeMismatch(field, raw, source);
      checkNumberRange(field, n);
      const scale = field.scale ?? 0;
      return field.type === 'int' ? Math.trunc(n) : Number(n.toFixed(scale));
    }
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseDateTime(raw) : null;
      if (ms === null) throw typeMismatch(field, raw, source);
      return toSecond(ms);
    }
    case 'date': {
      const d = typeof raw === 'string' ? parseDate(raw) : null;
      if (d === null) throw typeMismatch(field, raw, source);
      return d;
    }
    case 'complexvalue':
      return raw;
    default: {
      if (typeof raw === 'object') throw typeMismatch(field, raw, source);
      const text = String(raw);
      // Salesforce stores an empty text value as null.
      if (text === '') return null;
      checkText(field, text);
      return field.type === 'reference' || field.type === 'id' ? normalizeId(text) ?? text : text;
    }
  }
}

function checkNumberRange(field: FieldDef, n: number): void {
  if (field.precision === undefined) return;
  const integerDigits = field.precision - (field.scale ?? 0);
  if (Math.abs(Math.trunc(n)) >= 10 ** integerDigits) {
    throw new RecordError('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${n}`, [field.name]);
  }
}

function checkText(field: FieldDef, text: string): void {
  if (field.length && text.length > field.length) {
    throw new RecordError('STRING_TOO_LONG', `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`, [field.name]);
  }
  if (field.type === 'email' && text !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
    throw new RecordError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]);
  }
  if (field.type === 'picklist' && field.restrictedPicklist && !field.picklistValues?.some((p) => p.value === text)) {
    throw new RecordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${text}`, [field.name]);
  }
  if (field.type === 'reference' && text !== '' && normalizeId(text) === null) {
    throw new RecordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${text}`, [field.name]);
  }
}

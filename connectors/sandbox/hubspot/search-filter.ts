import type { PropertyDef } from './default-properties.js';
import type { HsObject } from './store.js';

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
}

export const OPERATORS = new Set(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);

export type Comparable = number | string;

/** A stored value in a form that compares the way the property's type does (dates and numbers numerically, text case-insensitively). */
export function comparable(def: PropertyDef | undefined, raw: string): Comparable {
  const type = def?.type ?? 'string';
  if (type === 'number') return Number(raw);
  if (type === 'datetime' || type === 'date') return /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return raw.toLowerCase();
}

/**
 * Whether an object passes one filter (HubSpot's operator semantics, see docs "Search the CRM"), as
 * a predicate built once per request: the filter's own values are read into comparable form once,
 * not once per object of a 40,000-contact portal.
 */
export function matcher(filter: SearchFilter, def: PropertyDef | undefined): (obj: HsObject) => boolean {
  const name = filter.propertyName;
  const stored = (obj: HsObject) => obj.properties[name];
  const value = comparable(def, String(filter.value ?? ''));
  // NaN (a number property's unreadable value) equals nothing, as === has it, though a Set would find it.
  const values = new Set((filter.values ?? []).map((v) => comparable(def, String(v))).filter((v) => v === v));
  const token = String(filter.value ?? '');
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return (obj) => stored(obj) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (obj) => stored(obj) === undefined;
    case 'NEQ':
      return (obj) => {
        const v = stored(obj);
        return v === undefined || comparable(def, v) !== value;
      };
    case 'NOT_IN':
      return (obj) => {
        const v = stored(obj);
        return v === undefined || !values.has(comparable(def, v));
      };
    case 'NOT_CONTAINS_TOKEN':
      return (obj) => {
        const v = stored(obj);
        return v === undefined || !containsToken(v, token);
      };
    case 'CONTAINS_TOKEN':
      return (obj) => {
        const v = stored(obj);
        return v !== undefined && containsToken(v, token);
      };
  }
  const test = comparison(filter.operator, value, comparable(def, String(filter.highValue ?? '')), values);
  return (obj) => {
    const v = stored(obj);
    return v !== undefined && test(comparable(def, v));
  };
}

function comparison(operator: string, want: Comparable, high: Comparable, values: ReadonlySet<Comparable>): (have: Comparable) => boolean {
  switch (operator) {
    case 'EQ':
      return (have) => have === want;
    case 'LT':
      return (have) => have < want;
    case 'LTE':
      return (have) => have <= want;
    case 'GT':
      return (have) => have > want;
    case 'GTE':
      return (have) => have >= want;
    case 'BETWEEN':
      return (have) => have >= want && have <= high;
    case 'IN':
      return (have) => values.has(have);
    default:
      return () => false;
  }
}

/** Token match with `*` wildcards, against the whole value or any of its word tokens. */
function containsToken(stored: string, pattern: string): boolean {
  const escaped = pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^${escaped}$`);
  const value = stored.toLowerCase();
  return re.test(value) || value.split(/[^a-z0-9@._-]+|[\s]+/).some((token) => re.test(token));
}

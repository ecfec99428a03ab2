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

type Comparable = number | string;

/** A stored value in a form that compares the way the property's type does (dates and numbers numerically, text case-insensitively). */
export function comparable(def: PropertyDef | undefined, raw: string): Comparable {
  const type = def?.type ?? 'string';
  if (type === 'number') return Number(raw);
  if (type === 'datetime' || type === 'date') return /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return raw.toLowerCase();
}

/** Whether one object passes one filter (HubSpot's operator semantics, see docs "Search the CRM"). */
export function matches(obj: HsObject, filter: SearchFilter, def: PropertyDef | undefined): boolean {
  const stored = obj.properties[filter.propertyName];
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    case 'NEQ':
      return stored === undefined || comparable(def, stored) !== comparable(def, String(filter.value ?? ''));
    case 'NOT_IN':
      return stored === undefined || !(filter.values ?? []).some((v) => comparable(def, String(v)) === comparable(def, stored));
    case 'NOT_CONTAINS_TOKEN':
      return stored === undefined || !containsToken(stored, String(filter.value ?? ''));
  }
  if (stored === undefined) return false;
  const have = comparable(def, stored);
  const want = () => comparable(def, String(filter.value ?? ''));
  switch (filter.operator) {
    case 'EQ':
      return have === want();
    case 'LT':
      return have < want();
    case 'LTE':
      return have <= want();
    case 'GT':
      return have > want();
    case 'GTE':
      return have >= want();
    case 'BETWEEN':
      return have >= want() && have <= comparable(def, String(filter.highValue ?? ''));
    case 'IN':
      return (filter.values ?? []).some((v) => comparable(def, String(v)) === have);
    case 'CONTAINS_TOKEN':
      return containsToken(stored, String(filter.value ?? ''));
    default:
      return false;
  }
}

/** Token match with `*` wildcards, against the whole value or any of its word tokens. */
function containsToken(stored: string, pattern: string): boolean {
  const escaped = pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^${escaped}$`);
  const value = stored.toLowerCase();
  return re.test(value) || value.split(/[^a-z0-9@._-]+|[\s]+/).some((token) => re.test(token));
}

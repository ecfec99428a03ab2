import { InputError } from '../domain/errors.js';

/**
 * Every timestamp is stored as `Date#toISOString()` (UTC, milliseconds, "Z"): one fixed format
 * makes text comparison equal time comparison on both back ends, whatever the CRM sent
 * ("+00:00", "+0000", no milliseconds…).
 */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function toIso(value: string | Date, what: string): string {
  // Already canonical (what toISOString wrote): skip the parse, it dominates bulk syncs.
  if (typeof value === 'string' && CANONICAL.test(value) && !Number.isNaN(Date.parse(value))) return value;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${what}: "${String(value)}" is not a date and time (expected ISO 8601, e.g. 2024-05-01T09:30:00Z)`);
  }
  return date.toISOString();
}

export function nowIso(): string {
  return new Date().toISOString();
}

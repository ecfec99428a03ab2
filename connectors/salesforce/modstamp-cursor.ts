import { z } from 'zod';
import type { Cursor } from '../types.js';
import { InputError } from '../../src/domain/errors.js';

/**
 * Where an incremental pull resumes: a position (SystemModstamp, Id) in the ascending order
 * `ORDER BY SystemModstamp, Id`. The next pull asks for what lies strictly after it, so records
 * sharing one SystemModstamp (a bulk update stamps thousands alike) are neither skipped nor read
 * twice, whichever page boundary falls between them.
 */

const pointSchema = z.object({
  since: z.string().datetime(),
  /** Last Id read at exactly `since`; null = nothing at `since` read yet. */
  lastId: z.string().nullable(),
});

export const positionSchema = pointSchema.extend({
  /**
   * Set by a pull cut short inside the window where late commits may still appear
   * (modstamp-progress.ts): the next pull reads again from strictly after this point up to
   * (since, lastId), then on. Absent from checkpoints stored before it existed, which read as before;
   * a version without it ignores it (zod strips unknown keys) and resumes at (since, lastId).
   */
  recheck: pointSchema.nullable().optional(),
});
export type Position = z.infer<typeof positionSchema>;

export function parseSalesforceCursor<S extends z.ZodTypeAny>(schema: S, cursor: Cursor | null, what: string): z.output<S> | null {
  if (cursor === null) return null;
  const parsed = schema.safeParse(cursor);
  if (!parsed.success) {
    throw new InputError(
      `The stored Salesforce ${what} checkpoint is not one this version understands (${JSON.stringify(cursor)}). ` +
        'Clear the checkpoint to pull everything again; records are upserted, so nothing is duplicated.',
    );
  }
  return parsed.data;
}

/**
 * Where the next pull starts once this one has read everything up to `until`, the newest
 * SystemModstamp when it began: `lookbackSeconds` before it, at the start of that second.
 * - Salesforce stamps to the second, and the final second may not be over: a record edited later
 *   within it is stamped alike, and its Id may sort before the last one read. Resuming strictly
 *   after (until, lastId) would never read it.
 * - A record is stamped when its transaction writes it, not when it commits: a long transaction
 *   (a bulk load, a slow trigger) makes records visible after newer ones, stamped before `until`
 *   (SALESFORCE_LOOKBACK_SECONDS; integrations such as Singer's tap-salesforce re-read a window
 *   for the same reason).
 * The records read again are absorbed by the sync (each page is compared with the stored records).
 * A position already before that point is kept: the next pull reads from there anyway.
 */
export function settledPosition(position: Position | null, until: string, lookbackSeconds: number): Position | null {
  if (position === null) return null;
  const from = lookbackStart(until, lookbackSeconds);
  return Date.parse(position.since) >= Date.parse(from) && !(position.since === from && position.lastId === null) ? { since: from, lastId: null } : position;
}

/** Where the late-commit window before `until` begins: `lookbackSeconds` before it, at the start of that second. */
export function lookbackStart(until: string, lookbackSeconds: number): string {
  return new Date(Math.floor(Date.parse(until) / 1000 - lookbackSeconds) * 1000).toISOString();
}

/** A SOQL datetime literal; whole seconds are written without a fraction, as Salesforce prints them. */
export function soqlDateTime(iso: string): string {
  const d = new Date(iso);
  const text = d.toISOString();
  return d.getUTCMilliseconds() === 0 ? text.replace('.000Z', 'Z') : text;
}

export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The WHERE condition for "strictly after this position", optionally "and not after `until`". */
export function afterCondition(position: Position | null, until: string | null, field = 'SystemModstamp'): string | null {
  const parts: string[] = [];
  if (position) {
    const t = soqlDateTime(position.since);
    parts.push(position.lastId === null ? `${field} >= ${t}` : `(${field} > ${t} OR (${field} = ${t} AND Id > ${soqlString(position.lastId)}))`);
  }
  if (until) parts.push(`${field} <= ${soqlDateTime(until)}`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** Salesforce prints datetimes as "2024-01-01T00:00:00.000+0000"; the app keeps ISO 8601 UTC. */
export function isoFromSalesforce(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/**
 * (ms, id) compared with a position in the ascending (SystemModstamp, Id) order. Ids compare as
 * Salesforce orders them, character by character and case-sensitively (0-9, then A-Z, then a-z),
 * not by locale, which puts "a" before "B".
 */
export function comparePosition(a: Position, b: Position): number {
  const d = Date.parse(a.since) - Date.parse(b.since);
  if (d !== 0) return d;
  const [x, y] = [a.lastId ?? '', b.lastId ?? ''];
  return x < y ? -1 : x > y ? 1 : 0;
}

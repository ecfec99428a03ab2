import { z } from 'zod';
import type { Cursor } from '../types.js';
import { InputError } from '../../src/domain/errors.js';

/**
 * Where a HubSpot contact pull resumes. A backfill walks the contact list by HubSpot's own
 * `after` token (active contacts, then archived ones); it then becomes incremental, which is a
 * position (lastmodifieddate, id) in the ascending search order: the next pull asks for what
 * comes strictly after it.
 */

export const incrementalCursorSchema = z.object({
  mode: z.literal('incremental'),
  since: z.string().datetime(),
  /** Last id already read at exactly `since`; null = nothing at `since` read yet (the next search starts at it). */
  lastId: z.string().nullable(),
  /**
   * Every change dated at or before this instant has been read: the last completed pull began
   * searching at least search.indexLagMs after it, when HubSpot's index held it. A change newer
   * than this may have been missing from the index then, so the next pull re-reads from here (or
   * from `since`, whichever is older). Absent in cursors stored by earlier versions: the pull then
   * re-reads indexLagMs before `since`.
   */
  indexedThrough: z.string().datetime().optional(),
  /**
   * Set on a position inside a walk by id of the records at `since` (keyset-search.ts): a pull
   * resuming there goes on with that walk, since a search by date could not get past them and would
   * only serve again, in no order, records it cannot move the position past.
   */
  walkingTie: z.literal(true).optional(),
  /**
   * Set by a pull stopped before its end (a stop signal, the daily limit, an API error) while the
   * search-index look-back was on: how far it had read everything for certain (index-lag.ts). The
   * next pull reads again from there rather than from `indexedThrough`, so a re-read cut short moves
   * on instead of restarting. Absent from checkpoints stored before it existed, which read as before;
   * a version without it ignores it (zod strips unknown keys) and re-reads from `indexedThrough`.
   */
  recheck: z
    .object({ since: z.string().datetime(), lastId: z.string().nullable(), walkingTie: z.literal(true).optional() })
    .optional(),
});

const backfillCursor = z.object({
  mode: z.literal('backfill'),
  phase: z.enum(['active', 'archived']),
  after: z.string().nullable(),
  /** The newest change when the backfill began: the incremental pull starts after it. */
  from: incrementalCursorSchema,
  /**
   * Our clock when the backfill began: its archived phase lists every contact archived before
   * then. Optional because backfills stored by earlier versions lack it.
   */
  startedAt: z.string().datetime().optional(),
});

export const contactCursorSchema = z.discriminatedUnion('mode', [backfillCursor, incrementalCursorSchema]);
export type ContactCursor = z.infer<typeof contactCursorSchema>;
export type IncrementalCursor = z.infer<typeof incrementalCursorSchema>;

/**
 * The lead pull's cursor: a contact cursor that, once incremental, also remembers when the
 * archived contacts were last listed (see archived-contacts.ts). Optional so a cursor stored
 * before this field existed still parses; its first pull then lists every archived contact.
 */
const leadIncrementalCursor = incrementalCursorSchema.extend({
  /** Our clock when the last completed pass over the archived contacts began. */
  archivedCheckedAt: z.string().datetime().optional(),
});
export const leadCursorSchema = z.discriminatedUnion('mode', [backfillCursor, leadIncrementalCursor]);
export type LeadCursor = z.infer<typeof leadCursorSchema>;

export function parseLeadCursor(cursor: Cursor | null, what: string): LeadCursor | null {
  return parseCursor(leadCursorSchema, cursor, what);
}

export function parseCursor<S extends z.ZodTypeAny>(schema: S, cursor: Cursor | null, what: string): z.output<S> | null {
  if (cursor === null) return null;
  const parsed = schema.safeParse(cursor);
  if (!parsed.success) {
    throw new InputError(
      `The stored HubSpot ${what} checkpoint is not one this version understands (${JSON.stringify(cursor)}). ` +
        'Clear the checkpoint to run a full backfill again; records are upserted, so nothing is duplicated.',
    );
  }
  return parsed.data;
}

/** HubSpot ids are numeric; compare them as numbers so "10" comes after "9". */
export function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isSafeInteger(na) && Number.isSafeInteger(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** true when (ms, id) lies strictly after the cursor position. */
export function isAfter(position: IncrementalCursor, ms: number, id: string): boolean {
  const since = Date.parse(position.since);
  if (ms !== since) return ms > since;
  return position.lastId === null ? true : compareIds(id, position.lastId) > 0;
}

/** A position along the search order (modified, id) and whether it lies inside a walk by id. */
export type SearchPosition = Pick<IncrementalCursor, 'since' | 'lastId' | 'walkingTie'>;

/** The later of two positions; at one timestamp a null lastId (nothing there read yet) comes first. */
export function laterPosition<P extends SearchPosition>(a: P, b: P): P {
  const ta = Date.parse(a.since);
  const tb = Date.parse(b.since);
  if (ta !== tb) return ta > tb ? a : b;
  if (a.lastId === null || b.lastId === null) return a.lastId === null ? b : a;
  return compareIds(a.lastId, b.lastId) >= 0 ? a : b;
}

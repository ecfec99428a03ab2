import { comparePosition, lookbackStart, settledPosition, type Position } from './modstamp-cursor.js';

/**
 * A pull's progress along `ORDER BY SystemModstamp, Id` from a stored cursor, and the cursor each
 * page it hands over carries: safe to resume from whatever stops the pull after that page (the API
 * share, an API error, a stop signal), since the sync stores the last page's cursor as it is.
 *
 * Salesforce stamps a record when its transaction writes it, not when it commits (see
 * settledPosition), so behind a position inside the late-commit window (the lookback before the
 * newest stamp the pull began with) a record may still become visible. A page's cursor there keeps
 * the exact position (since, lastId) as the progress made and adds `recheck`, where the next pull
 * starts reading again. Behind the window nothing can still appear: a page there stores its
 * position alone, as before, so a pull through old history re-reads nothing.
 *
 * A resumed pull reads the window once more, and its re-read is progress too: cut short again
 * inside it, its pages' cursors move `recheck` up to what they read and keep (since, lastId). So a
 * bulk update that stamps thousands of records in one second, more than one pull's share of the
 * API allows, is re-read across pulls once, not from the window's start every time (which would
 * never get past it), and no record is read more than twice. What that gives up: a record still
 * uncommitted when the resumed pull re-reads its position, i.e. a transaction longer than the time
 * between the cut and the next sync, is not caught (the same bound the lookback itself sets).
 * The records read again are absorbed by the sync (each page is compared with the stored records).
 */
export interface ModstampProgress {
  /** Where the query starts, strictly after (null: from the beginning). */
  readonly from: Position | null;
  /** Takes a record read, in query order; one stamped after `until` (changed during the pull) moves nothing. */
  read(stamp: string | null, id: string): void;
  /** The cursor for the page just read (null: nothing read from the beginning yet). */
  cursor(): Position | null;
  /** The cursor once the pull read to its end: settledPosition of the furthest position read. */
  settled(): Position | null;
}

export function modstampProgress(start: Position | null, until: string, lookbackSeconds: number): ModstampProgress {
  // What earlier pulls read for certain, and where this one reads from.
  const done = start && point(start);
  const from = start?.recheck ? point(start.recheck) : done;
  const windowStart: Position = { since: lookbackStart(until, lookbackSeconds), lastId: null };
  let at = from;
  const furthest = (): Position | null => (at && done && comparePosition(at, done) < 0 ? done : at);
  return {
    from,
    read(stamp, id) {
      if (stamp && Date.parse(stamp) <= Date.parse(until)) at = { since: stamp, lastId: id };
    },
    cursor() {
      if (at === null) return null;
      // Still re-reading what a pull cut short left: the progress stays, the re-read moves on.
      if (done && comparePosition(at, done) < 0) return { ...done, recheck: at };
      // Past it: what this pull read first-hand inside its own window is read again next time.
      const recheck = done && comparePosition(done, windowStart) > 0 ? done : windowStart;
      return comparePosition(at, recheck) > 0 ? { ...at, recheck } : at;
    },
    settled() {
      const position = furthest();
      return position && settledPosition(position, until, lookbackSeconds);
    },
  };
}

function point(position: Position): Position {
  return { since: position.since, lastId: position.lastId };
}

import { laterPosition, type IncrementalCursor, type SearchPosition } from './cursor.js';

/**
 * HubSpot's search index trails writes by a few seconds (the premise of search.indexLagMs; the
 * stored copy of the CRM search guide does not put a figure on it), so a change dated shortly
 * before a pull may not have been searchable yet when that pull walked past it.
 * A pull that began searching at indexedNow (lagMs before its own clock) reads from an index
 * holding every change dated at or before indexedNow; what it passes dated later may have been
 * missing, so the next pull reads that stretch again (the look-back).
 */

/**
 * Where a pull from `cursor` starts reading. A completed pull left `indexedThrough`: re-read from
 * it when the cursor lies beyond it. A pull stopped short left `recheck`, how far it had read for
 * certain: re-read from there, so a re-read cut short again still moves on.
 */
export function resumePosition(cursor: IncrementalCursor, lagMs: number): IncrementalCursor {
  const at = (p: SearchPosition): IncrementalCursor => ({ mode: 'incremental', since: p.since, lastId: p.lastId, ...(p.walkingTie ? { walkingTie: true } : {}) });
  // No lag to allow for (the sandbox's search reads its store): nothing can have been missed.
  if (lagMs === 0) return at(cursor);
  if (cursor.recheck) return at(cursor.recheck);
  const sinceMs = Date.parse(cursor.since);
  const indexedMs = cursor.indexedThrough === undefined ? sinceMs - lagMs : Date.parse(cursor.indexedThrough);
  if (sinceMs <= indexedMs) return at(cursor);
  return { mode: 'incremental', since: new Date(Math.max(0, indexedMs)).toISOString(), lastId: null };
}

/**
 * How far a pull has read everything for certain, having walked from `from` (read for certain by
 * the pulls before) to `reached` on an index holding every change dated at or before indexedNowMs:
 * all of it up to `reached` where that is no later, else everything dated up to indexedNowMs.
 */
export function readForCertain(from: SearchPosition, reached: SearchPosition, indexedNowMs: number): SearchPosition {
  const point = ({ since, lastId, walkingTie }: SearchPosition): SearchPosition => ({ since, lastId, ...(walkingTie ? { walkingTie } : {}) });
  const certain = Date.parse(reached.since) <= indexedNowMs ? point(reached) : { since: new Date(Math.floor(indexedNowMs) + 1).toISOString(), lastId: null };
  return laterPosition(point(from), certain);
}

export function latestIso(iso: string | undefined, ms: number): string {
  return new Date(iso === undefined ? ms : Math.max(Date.parse(iso), ms)).toISOString();
}

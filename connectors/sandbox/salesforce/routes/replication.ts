import express, { type Request, type Router } from 'express';
import type { SandboxContext } from '../../context.js';
import { SalesforceApiError } from '../errors.js';
import { requireObject } from '../records.js';
import { recordsOf, type SalesforceState } from '../state.js';
import { formatDateTime, parseDateTime } from '../values.js';

/**
 * GET /sobjects/{type}/updated/ and /deleted/ (jsforce updated() and deleted()): the ids changed
 * (by SystemModstamp) or deleted in [start, end), both rounded down to the minute, end at most
 * now, start at most 30 days back, as Salesforce's replication API answers them.
 */
const MINUTE = 60_000;
const MAX_AGE_MS = 30 * 86_400_000;

function window(req: Request, now: number): { start: number; end: number } {
  const parse = (name: string) => {
    const text = typeof req.query[name] === 'string' ? (req.query[name] as string) : '';
    const ms = text ? parseDateTime(text) : null;
    if (ms === null) throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', `${name} must be a dateTime such as 2024-05-01T00:00:00+00:00 (got "${text}")`);
    return Math.floor(ms / MINUTE) * MINUTE;
  };
  const start = parse('start');
  const end = Math.min(parse('end'), Math.floor(now / MINUTE) * MINUTE);
  if (start >= end) throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate');
  if (start < now - MAX_AGE_MS) throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
  return { start, end };
}

export function replicationRouter(ctx: SandboxContext, state: SalesforceState): Router {
  const router = express.Router({ mergeParams: true });
  const within = (ms: unknown, w: { start: number; end: number }) => typeof ms === 'number' && ms >= w.start && ms < w.end;

  router.get(['/:type/updated', '/:type/updated/'], (req, res) => {
    const object = requireObject(state, req.params.type);
    const w = window(req, ctx.clock.now());
    const ids = [...recordsOf(state, object.name).values()].filter((r) => !r.IsDeleted && within(r.SystemModstamp, w)).map((r) => r.Id);
    res.json({ ids, latestDateCovered: formatDateTime(w.end) });
  });

  router.get(['/:type/deleted', '/:type/deleted/'], (req, res) => {
    const object = requireObject(state, req.params.type);
    const w = window(req, ctx.clock.now());
    // A soft delete stamps SystemModstamp last (records.ts), so it is the deletion time.
    const deleted = [...recordsOf(state, object.name).values()].filter((r) => r.IsDeleted);
    const inWindow = deleted.filter((r) => within(r.SystemModstamp, w));
    const earliest = Math.min(...deleted.map((r) => r.SystemModstamp as number), w.end);
    res.json({
      deletedRecords: inWindow.map((r) => ({ id: r.Id, deletedDate: formatDateTime(r.SystemModstamp as number) })),
      earliestDateAvailable: formatDateTime(earliest),
      latestDateCovered: formatDateTime(w.end),
    });
  });

  return router;
}

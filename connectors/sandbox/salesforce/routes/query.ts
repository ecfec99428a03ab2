import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../context.js';
import { malformedQuery } from '../errors.js';
import { leadHistorySource } from '../lead-history.js';
import { objectByName } from '../records.js';
import { customFieldObject } from '../schema/custom-fields.js';
import { queryMore, runQuery, type QueryOptions, type QuerySource } from '../query/cursor.js';
import { recordsOf, type SalesforceState, type SfRecord } from '../state.js';

/** /query, /queryAll and /tooling/query, each with its /<locator> page form. */

function batchSize(req: Request): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(req.get('sforce-query-options') ?? '');
  return m ? Math.min(2000, Math.max(200, Number(m[1]))) : 2000;
}

export function dataSource(state: SalesforceState) {
  return (name: string): QuerySource | undefined => {
    if (name.toLowerCase() === 'leadhistory') return leadHistorySource(state);
    const object = objectByName(state, name);
    if (!object) return undefined;
    const map = recordsOf(state, object.name);
    return { object, all: () => map.values(), get: (id) => map.get(id) };
  };
}

export function toolingSource(state: SalesforceState) {
  const object = customFieldObject();
  return (name: string): QuerySource | undefined => {
    if (name.toLowerCase() !== 'customfield') return undefined;
    return {
      object,
      all: () => state.customFields.values() as Iterable<unknown> as Iterable<SfRecord>,
      get: (id) => state.customFields.get(id) as unknown as SfRecord | undefined,
    };
  };
}

export function queryRouter(
  ctx: SandboxContext,
  state: SalesforceState,
  kind: { includeDeleted: boolean; tooling: boolean },
): Router {
  const router = express.Router({ mergeParams: true });
  const resolve = kind.tooling ? toolingSource(state) : dataSource(state);
  const options = (req: Request, res: Response): QueryOptions => ({
    includeDeleted: kind.includeDeleted,
    batchSize: batchSize(req),
    now: ctx.clock.now(),
    version: res.locals.sfVersion as string,
    tooling: kind.tooling,
  });

  router.get('/', (req, res) => {
    const q = req.query.q;
    if (typeof q !== 'string' || q.trim() === '') throw malformedQuery('A query string (q) is required');
    res.json(runQuery(state, q, resolve, options(req, res)));
  });

  router.get('/:locator', (req, res) => {
    res.json(queryMore(state, req.params.locator, resolve, options(req, res)));
  });

  return router;
}

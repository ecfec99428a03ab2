import { Router } from 'express';
import type { HubspotDeps } from './deps.js';
import { validationError } from './errors.js';
import { typeOr404 } from './objects-routes.js';
import { selectProperties, viewObject } from './object-view.js';
import { comparable, matcher, OPERATORS, type Comparable, type SearchFilter } from './search-filter.js';
import type { HsObject } from './store.js';
import type { ObjectType } from './object-types.js';

const PAGE_MAX = 200;
/** HubSpot search never pages past this many results; asking for `after` >= it is a 400. */
export const SEARCH_CAP = 10_000;
// The Aug 2024 changelog announced 5 groups, 10 filters a group and 25 in all; the current
// search reference pages (v3 and 2026-03) say 5 groups of up to 6 filters, 18 in all. The sandbox
// holds to the stricter documented figures, so a search it accepts is one HubSpot accepts.
export const MAX_GROUPS = 5;
export const MAX_FILTERS_PER_GROUP = 6;
export const MAX_FILTERS = 18;

const QUERY_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  deals: ['dealname'],
};

interface Sort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

/**
 * POST /crm/v3/objects/{type}/search: filter groups (OR of ANDs), the first sort only (as in
 * HubSpot), offset paging. Ties follow ctx.options.hubspotSearchTieOrder.
 */
export function searchRoute(deps: HubspotDeps): Router {
  const router = Router();
  const { records } = deps;

  router.post('/crm/v3/objects/:type/search', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const body = (req.body ?? {}) as {
      filterGroups?: Array<{ filters?: SearchFilter[] }>;
      sorts?: Array<string | Sort>;
      properties?: string[];
      limit?: number;
      after?: string | number;
      query?: string;
    };
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 0 || limit > PAGE_MAX) {
      return validationError(res, `limit must be between 0 and ${PAGE_MAX}, got ${body.limit}`);
    }
    const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(after) || after < 0) return validationError(res, `after must be a paging token from a previous page, got ${body.after}`);
    if (after >= SEARCH_CAP) {
      return validationError(res, `Search results are limited to ${SEARCH_CAP} per query; after=${after} is past that. Narrow the filters (e.g. by hs_object_id or lastmodifieddate ranges) to read further.`, {
        context: { after: [String(after)], maxResults: [String(SEARCH_CAP)] },
      });
    }
    const groups = body.filterGroups ?? [];
    const problem = filterProblem(groups, records.state.properties[type]);
    if (problem) return validationError(res, problem);
    const sorts = parseSorts(body.sorts);
    if (typeof sorts === 'string') return validationError(res, sorts);

    const defs = records.state.properties[type];
    const query = body.query?.trim().toLowerCase();
    const tests = groups.map((g) => (g.filters ?? []).map((f) => matcher(f, defs.get(f.propertyName))));
    // HubSpot honours only the first sort; a second one never orders ties.
    const [sort] = sorts;
    const sortDef = sort && defs.get(sort.propertyName);
    const hits: Array<{ obj: HsObject; id: number; key: Comparable | undefined }> = [];
    for (const obj of records.state.objects[type].values()) {
      if (obj.archived) continue;
      if (tests.length > 0 && !tests.some((group) => group.every((test) => test(obj)))) continue;
      if (query && !QUERY_PROPERTIES[type].some((p) => obj.properties[p]?.toLowerCase().split(/\s+/).some((t) => t.startsWith(query)))) continue;
      // Each hit's sort value read once, not once per comparison (a date is parsed each time).
      const raw = sort ? obj.properties[sort.propertyName] : undefined;
      hits.push({ obj, id: Number(obj.id), key: raw === undefined ? undefined : comparable(sortDef, raw) });
    }
    const scrambled = deps.ctx.options.hubspotSearchTieOrder === 'scrambled';
    const descending = sort?.direction === 'DESCENDING';
    hits.sort((a, b) => {
      const d = compareKeys(a.key, b.key, descending);
      if (d !== 0) return d;
      return scrambled ? b.id - a.id : a.id - b.id;
    });
    const total = hits.length;
    const end = Math.min(after + limit, total, SEARCH_CAP);
    const names = selectProperties(records, type, body.properties);
    const result: Record<string, unknown> = { total, results: hits.slice(after, end).map((hit) => viewObject(hit.obj, names)) };
    if (end < total && limit > 0) result.paging = { next: { after: String(end) } };
    res.json(result);
  });

  return router;
}

function filterProblem(groups: Array<{ filters?: SearchFilter[] }>, defs: Map<string, unknown>): string | null {
  if (!Array.isArray(groups)) return 'filterGroups must be an array';
  if (groups.length > MAX_GROUPS) return `Too many filter groups: ${groups.length}. The maximum is ${MAX_GROUPS}.`;
  let total = 0;
  for (const group of groups) {
    const filters = group.filters ?? [];
    if (filters.length > MAX_FILTERS_PER_GROUP) return `Too many filters in a filter group: ${filters.length}. The maximum is ${MAX_FILTERS_PER_GROUP}.`;
    total += filters.length;
    for (const f of filters) {
      if (!OPERATORS.has(f.operator)) return `Unknown filter operator ${f.operator}; allowed: ${[...OPERATORS].join(', ')}`;
      if (!defs.has(f.propertyName)) return `Property "${f.propertyName}" does not exist and cannot be used in a filter.`;
      if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !Array.isArray(f.values)) return `Operator ${f.operator} needs a "values" array (property ${f.propertyName}).`;
      if (f.operator === 'BETWEEN' && (f.value === undefined || f.highValue === undefined)) return `Operator BETWEEN needs "value" and "highValue" (property ${f.propertyName}).`;
    }
  }
  if (total > MAX_FILTERS) return `Too many filters: ${total}. The maximum across all groups is ${MAX_FILTERS}.`;
  return null;
}

/** Sorts as HubSpot accepts them: "prop" / "-prop" strings (the SDK's typing) or {propertyName, direction}. */
function parseSorts(input: Array<string | Sort> | undefined): Sort[] | string {
  if (input === undefined) return [];
  if (!Array.isArray(input)) return 'sorts must be an array';
  const sorts: Sort[] = [];
  for (const item of input) {
    if (typeof item === 'string') {
      sorts.push(item.startsWith('-') ? { propertyName: item.slice(1), direction: 'DESCENDING' } : { propertyName: item, direction: 'ASCENDING' });
    } else if (item && typeof item.propertyName === 'string') {
      sorts.push({ propertyName: item.propertyName, direction: item.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING' });
    } else {
      return 'Each sort must be a property name or {propertyName, direction}';
    }
  }
  return sorts;
}

/** Two hits' sort values: unset last whichever the direction, as HubSpot orders them. */
function compareKeys(x: Comparable | undefined, y: Comparable | undefined, descending: boolean): number {
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  const d = x < y ? -1 : x > y ? 1 : 0;
  return descending ? -d : d;
}

import { SalesforceApiError } from '../errors.js';
import { KEY_PREFIX, makeId } from '../ids.js';
import type { FieldDef, ObjectDef } from '../schema/fields.js';
import { nextSerial, type SalesforceState, type SfRecord } from '../state.js';
import { readValue } from '../values.js';
import { compileQuery } from '../soql/compile.js';
import { parseSoql } from '../soql/parser.js';
import { quoteFault } from '../soql/lexer.js';
import { aggregateRows } from '../soql/aggregate.js';

/**
 * query / queryAll / queryMore. A query is filtered and sorted once; the ordered ids are kept in
 * a cursor so each queryMore page is a slice, not a re-sort of 40,000 records. Pages are read from
 * the live records (a record changed between pages shows its new values, as Salesforce may).
 */

export interface QueryCursor {
  locator: string;
  objectName: string;
  fieldNames: string[];
  ids: string[];
  /** Sandbox-clock ms after which the locator is gone (two days after the query, as in Salesforce). */
  expiresAt: number;
  tooling: boolean;
}

export interface QuerySource {
  object: ObjectDef;
  all(): Iterable<SfRecord>;
  get(id: string): SfRecord | undefined;
}

export interface QueryOptions {
  /** queryAll: include deleted records. */
  includeDeleted: boolean;
  batchSize: number;
  now: number;
  version: string;
  tooling: boolean;
}

export interface QueryResponse {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

/**
 * Since API 56.0 a cursor lives two days and a user may hold any number ("API Query Cursor
 * Limits"; before, 10 per user, gone after 15 idle minutes). The cap only bounds the sandbox's
 * memory (each cursor keeps its ids); past it the oldest goes, which a real org would still serve.
 */
const CURSOR_LIFETIME_MS = 2 * 86_400_000;
const MAX_OPEN_CURSORS = 1000;

function render(object: ObjectDef, fields: FieldDef[], r: SfRecord, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: object.name, url: `/services/data/v${version}/${object.urlBase}/${object.name}/${r.Id as string}` },
  };
  for (const f of fields) out[f.name] = readValue(f, r);
  return out;
}

function queryPath(version: string, tooling: boolean): string {
  return `/services/data/v${version}/${tooling ? 'tooling/' : ''}query`;
}

function page(
  state: SalesforceState,
  cursor: QueryCursor,
  source: QuerySource,
  start: number,
  opts: QueryOptions,
): QueryResponse {
  const end = Math.min(start + opts.batchSize, cursor.ids.length);
  const fields = cursor.fieldNames.map((n) => source.object.byName.get(n.toLowerCase())!);
  const records: Array<Record<string, unknown>> = [];
  for (let i = start; i < end; i++) {
    const r = source.get(cursor.ids[i]);
    if (r) records.push(render(source.object, fields, r, opts.version));
  }
  const done = end >= cursor.ids.length;
  if (done) state.cursors.delete(cursor.locator);
  return {
    totalSize: cursor.ids.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `${queryPath(opts.version, opts.tooling)}/${cursor.locator}-${end}` }),
    records,
  };
}

function dropStaleCursors(state: SalesforceState, now: number): void {
  for (const [k, c] of state.cursors) if (c.expiresAt < now) state.cursors.delete(k);
  while (state.cursors.size >= MAX_OPEN_CURSORS) {
    state.cursors.delete(state.cursors.keys().next().value as string);
  }
}

export function runQuery(
  state: SalesforceState,
  soql: string,
  resolve: (objectName: string) => QuerySource | undefined,
  opts: QueryOptions,
): QueryResponse {
  const parsed = parseSoql(soql);
  const source = resolve(parsed.from.name);
  if (!source) {
    throw new SalesforceApiError(400, 'INVALID_TYPE', `${quoteFault(soql, parsed.from.pos)}\nsObject type '${parsed.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  }
  const q = compileQuery(soql, parsed, source.object, opts.now);
  let matched: SfRecord[] = [];
  for (const r of source.all()) {
    if (!opts.includeDeleted && r.IsDeleted === true) continue;
    if (q.predicate(r)) matched.push(r);
  }
  matched = q.sort(matched);
  if (q.aggregate) {
    // Rows are groups, counted, limited and offset as such, and answered in one page.
    let rows = aggregateRows(q.aggregate, matched);
    if (q.offset > 0 || q.limit !== null) rows = rows.slice(q.offset, q.limit === null ? undefined : q.offset + q.limit);
    return { totalSize: rows.length, done: true, records: q.count ? [] : rows };
  }
  if (q.offset > 0 || q.limit !== null) {
    matched = matched.slice(q.offset, q.limit === null ? undefined : q.offset + q.limit);
  }
  if (q.count) return { totalSize: matched.length, done: true, records: [] };
  if (opts.tooling && matched.length > 1 && q.fields.some((f) => f.name === 'Metadata' || f.name === 'FullName')) {
    throw new SalesforceApiError(400, 'MALFORMED_QUERY', `When retrieving results with Metadata or FullName fields, the query qualficiations must specify no more than one row for retrieval. Result size: ${matched.length}`);
  }
  dropStaleCursors(state, opts.now);
  const cursor: QueryCursor = {
    locator: makeId(KEY_PREFIX.QueryLocator, nextSerial(state)),
    objectName: source.object.name,
    fieldNames: q.fields.map((f) => f.name),
    ids: matched.map((r) => r.Id as string),
    expiresAt: opts.now + CURSOR_LIFETIME_MS,
    tooling: opts.tooling,
  };
  state.cursors.set(cursor.locator, cursor);
  return page(state, cursor, source, 0, opts);
}

/** A page of an open cursor; the locator is "<cursor id>-<offset>" as in nextRecordsUrl. */
export function queryMore(
  state: SalesforceState,
  locator: string,
  resolve: (objectName: string) => QuerySource | undefined,
  opts: QueryOptions,
): QueryResponse {
  const m = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locator);
  const cursor = m ? state.cursors.get(m[1]) : undefined;
  if (!m || !cursor || cursor.expiresAt < opts.now || cursor.tooling !== opts.tooling) {
    if (cursor) state.cursors.delete(cursor.locator);
    throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  const source = resolve(cursor.objectName);
  if (!source) throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  const start = Number(m[2]);
  if (start > cursor.ids.length) throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return page(state, cursor, source, start, opts);
}

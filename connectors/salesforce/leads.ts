import type { Cursor, LeadRecord, Page } from '../types.js';
import type { ApiCaller } from './api-caller.js';
import type { SalesforceConfig } from './config.js';
import { isDeepStrictEqual } from 'node:util';
import { afterCondition, isoFromSalesforce, parseSalesforceCursor, positionSchema, type Position } from './modstamp-cursor.js';
import { modstampProgress } from './modstamp-progress.js';
import { firstPage, soqlPages, type SoqlRecord } from './soql-pager.js';
import { describeObject } from './describe-object.js';
import type { BudgetSource } from './api-budget.js';
import { withinApiShare } from './pull-budget.js';

/**
 * Leads (or contacts) as lead records, in `ORDER BY SystemModstamp, Id` from the cursor, through
 * queryAll so that deleted records come back too (IsDeleted = true -> archived). Each page carries
 * the position of its last record; the job stores the page and then that position together.
 *
 * A pull stops at the newest SystemModstamp it saw when it began: a record changed while the pull
 * pages (our own score writes stamp it too) is not allowed to move the cursor past records the
 * pull has not reached yet; it is read again, with its new values, by the next pull. A pull read to
 * its end leaves the cursor a little before its final second, which later edits and late commits
 * may still join (settledPosition); a pull stopped before its end (the API share, an API error, a
 * stop signal) leaves on its last page a cursor that reads that window again (modstamp-progress.ts).
 * Every request is taken from the API budget (pull-budget.ts): at the share the pull stops and
 * resumes next time.
 */

/** Describe field types that are views over other fields (Address, geolocation). */
const COMPOUND_TYPES = new Set(['address', 'location']);
/** Fields every pull needs, whatever the field list says. */
const REQUIRED = ['Id', 'CreatedDate', 'SystemModstamp', 'IsDeleted'];

export function pullSalesforceLeads(caller: ApiCaller, config: SalesforceConfig, cursor: Cursor | null, budgetFor: BudgetSource): AsyncGenerator<Page<LeadRecord>> {
  return withinApiShare(caller, budgetFor, cursor, 'lead', (budgeted) => leadPages(budgeted, config, cursor));
}

async function* leadPages(caller: ApiCaller, config: SalesforceConfig, cursor: Cursor | null): AsyncGenerator<Page<LeadRecord>> {
  const start = parseSalesforceCursor(positionSchema, cursor, 'lead sync');
  const fields = config.leadFields ? [...new Set([...REQUIRED, ...config.leadFields])] : await objectFields(caller, config);
  const until = await newestModstamp(caller, config.object);
  if (until === null) return;

  // Each page's cursor is safe to resume from wherever the pull stops after it (modstamp-progress.ts).
  const progress = modstampProgress(start, until, config.lookbackSeconds);
  if (progress.from && Date.parse(progress.from.since) > Date.parse(until)) return;
  const where = afterCondition(progress.from, until);
  const soql = `SELECT ${fields.join(', ')} FROM ${config.object} WHERE ${where} ORDER BY SystemModstamp, Id`;
  let stored: Position | null = start;
  for await (const records of soqlPages(caller, config, soql, { action: `reading ${config.object} records`, includeDeleted: start !== null })) {
    for (const r of records) progress.read(isoFromSalesforce(r.SystemModstamp), r.Id);
    if (records.length === 0) continue;
    stored = progress.cursor() ?? { since: until, lastId: null };
    yield { records: records.map((r) => toLeadRecord(r)), cursor: stored as Cursor };
  }
  // Read to the end: the next pull starts a little before the final second (settledPosition).
  const settled = progress.settled();
  if (!isDeepStrictEqual(settled, stored)) yield { records: [], cursor: settled as Cursor };
}

/** The newest SystemModstamp of the object, deleted records included (null = no records). */
async function newestModstamp(caller: ApiCaller, object: string): Promise<string | null> {
  const result = await caller.call(`finding the newest ${object} change`, (conn) =>
    firstPage<{ SystemModstamp: string }>(conn, `SELECT SystemModstamp FROM ${object} ORDER BY SystemModstamp DESC LIMIT 1`, { scanAll: true }),
  );
  return isoFromSalesforce(result.records[0]?.SystemModstamp);
}

/**
 * Every field describe lists, except compound fields (their parts are listed on their own). The
 * app's own score fields are among them once they exist and the integration user may read them:
 * what Salesforce shows of our scores, so an edited one is written again; they are never model
 * inputs (config loop.neverInputs). Describe leaves out fields the user cannot read, so asking for
 * them never fails the query.
 */
export async function objectFields(caller: ApiCaller, config: SalesforceConfig): Promise<string[]> {
  const described = await describeObject(caller, config.object, `describing ${config.object}`);
  const names = described.fields
    .filter((f) => !COMPOUND_TYPES.has(String(f.type)) && f.type !== 'base64')
    .map((f) => f.name);
  return [...new Set([...REQUIRED, ...names])];
}

export function toLeadRecord(r: SoqlRecord): LeadRecord {
  const properties: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(r)) properties[key] = textOf(value);
  return {
    crm: 'salesforce',
    id: r.Id,
    createdAt: isoFromSalesforce(r.CreatedDate) ?? new Date(0).toISOString(),
    modifiedAt: isoFromSalesforce(r.SystemModstamp) ?? new Date(0).toISOString(),
    archived: r.IsDeleted === true,
    converted: r.IsConverted === true,
    properties,
  };
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

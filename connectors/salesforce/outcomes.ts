import { z } from 'zod';
import type { Cursor, OutcomeRecord, Page } from '../types.js';
import { chunks } from '../shared/chunks.js';
import type { BudgetSource } from './api-budget.js';
import type { ApiCaller } from './api-caller.js';
import type { SalesforceConfig } from './config.js';
import { isDeepStrictEqual } from 'node:util';
import { afterCondition, comparePosition, isoFromSalesforce, parseSalesforceCursor, positionSchema, settledPosition, soqlString, type Position } from './modstamp-cursor.js';
import { modstampProgress } from './modstamp-progress.js';
import { closedByStatus, decideContactOutcome, decideLeadOutcome, type LeadFacts, type OpportunityFacts } from './outcome-rules.js';
import { firstPage, soqlAll, soqlPages, type SoqlRecord } from './soql-pager.js';
import { statusHistory, type StatusHistory } from './status-history.js';
import { withinApiShare, type SayAtStop } from './pull-budget.js';

/**
 * Outcomes, page by page, from two change streams:
 * - scored records changed since the cursor (converted, or set to a closed status), with the
 *   opportunities they converted into read in `Id IN (...)` chunks: one query per chunk, not
 *   one per lead;
 * - opportunities closed since the cursor: closing an opportunity does not touch the lead it
 *   came from, so a lead whose opportunity is won or lost later is found from the opportunity
 *   (`ConvertedOpportunityId IN (...)`).
 * Open records yield nothing. A first pull reads every record, and the opportunity stream then
 * starts at the newest opportunity change seen when it began. A lead closed by Status is dated
 * by when it took that status, from LeadHistory where field history has it (status-history.ts);
 * a last empty page carries the note saying how they were dated (the cut-short page, when the
 * API share stops the pull). A configured lost status that is
 * no Lead Status value of the org stops the sync before this runs (lost-status-check.ts).
 */

const outcomeCursorSchema = z.object({ records: positionSchema.nullable(), opportunities: positionSchema.nullable() });
type OutcomeCursor = z.infer<typeof outcomeCursorSchema>;

const LEAD_FIELDS = ['Id', 'Status', 'IsConverted', 'ConvertedDate', 'ConvertedOpportunityId', 'LastModifiedDate', 'SystemModstamp'];
const CONTACT_FIELDS = ['Id', 'SystemModstamp'];
const OPPORTUNITY_FIELDS = ['Id', 'IsClosed', 'IsWon', 'CloseDate', 'StageName', 'ContactId', 'SystemModstamp'];

export function pullSalesforceOutcomes(caller: ApiCaller, config: SalesforceConfig, cursor: Cursor | null, budgetFor: BudgetSource): AsyncGenerator<Page<OutcomeRecord>> {
  // Every request of the pull, LeadHistory's included, is taken from the API budget (pull-budget.ts).
  return withinApiShare(caller, budgetFor, cursor, 'outcome', (budgeted, atStop) => outcomeStream(budgeted, config, cursor, atStop));
}

async function* outcomeStream(caller: ApiCaller, config: SalesforceConfig, cursor: Cursor | null, atStop: SayAtStop): AsyncGenerator<Page<OutcomeRecord>> {
  const start = parseSalesforceCursor(outcomeCursorSchema, cursor, 'outcome sync');
  const history = statusHistory(caller, config);
  // A pull the share stops never reaches the note below: the cut-short page carries it instead,
  // counting the leads of the pages handed over (a page cut short is dated again next sync).
  atStop(() => history.note());
  // An unknown SALESFORCE_LOST_STATUSES value was refused before the sync began (checkOutcomeSettings).
  let last: Cursor | null = null;
  for await (const page of outcomePages(caller, config, start, history)) {
    last = page.cursor;
    yield page;
  }
  // Said once, after the last page: which date the leads closed by Status got, and why.
  const note = history.note();
  if (note && last) yield { records: [], cursor: last, notes: [note] };
}

async function* outcomePages(caller: ApiCaller, config: SalesforceConfig, start: OutcomeCursor | null, history: StatusHistory): AsyncGenerator<Page<OutcomeRecord>> {
  const object = config.object;
  const recordsUntil = (await newest(caller, object))?.since ?? null;
  const opportunitiesUntil = await newest(caller, 'Opportunity');
  // A first pull reads every record with its opportunities as they are now; opportunity changes
  // are followed from a little before the newest one's second, which may still gain closings
  // (settledPosition): the few read again there are absorbed.
  const lookback = config.lookbackSeconds;
  const opportunitiesFrom: Position | null = start ? start.opportunities : opportunitiesUntil && settledPosition(opportunitiesUntil, opportunitiesUntil.since, lookback);

  let recordsPosition = start?.records ?? null;
  // The records position of the last page handed over: a settled one still to hand over goes on an empty last page.
  let handedOver = recordsPosition;
  const cursorNow = (): Cursor => ({ records: recordsPosition, opportunities: opportunitiesFrom }) satisfies OutcomeCursor;

  // Each page's cursor is safe to resume from wherever the pull stops after it (modstamp-progress.ts).
  const records = recordsUntil ? modstampProgress(recordsPosition, recordsUntil, lookback) : null;
  if (records && recordsUntil && !(records.from && Date.parse(records.from.since) > Date.parse(recordsUntil))) {
    const fields = object === 'Lead' ? LEAD_FIELDS : CONTACT_FIELDS;
    const soql = `SELECT ${fields.join(', ')} FROM ${object} WHERE ${afterCondition(records.from, recordsUntil)} ORDER BY SystemModstamp, Id`;
    for await (const page of soqlPages(caller, config, soql, { action: `reading ${object} outcomes` })) {
      for (const r of page) records.read(isoFromSalesforce(r.SystemModstamp), r.Id);
      if (page.length === 0) continue;
      recordsPosition = records.cursor();
      yield { records: await decide(caller, config, history, page), cursor: cursorNow() };
      handedOver = recordsPosition;
    }
    recordsPosition = records.settled();
  }

  const opportunitiesRead = opportunitiesUntil ? modstampProgress(opportunitiesFrom, opportunitiesUntil.since, lookback) : null;
  if (!start || !opportunitiesUntil || !opportunitiesRead || (opportunitiesRead.from && comparePosition(opportunitiesRead.from, opportunitiesUntil) >= 0)) {
    if (!isDeepStrictEqual(recordsPosition, handedOver)) yield { records: [], cursor: cursorNow() };
    return;
  }
  let opportunitiesPosition = opportunitiesFrom;
  const closed = `SELECT ${OPPORTUNITY_FIELDS.join(', ')} FROM Opportunity WHERE IsClosed = true AND ${afterCondition(opportunitiesRead.from, opportunitiesUntil.since)} ORDER BY SystemModstamp, Id`;
  for await (const page of soqlPages(caller, config, closed, { action: 'reading closed opportunities' })) {
    for (const r of page) opportunitiesRead.read(isoFromSalesforce(r.SystemModstamp), r.Id);
    opportunitiesPosition = opportunitiesRead.cursor() ?? opportunitiesPosition;
    const records = await recordsOfOpportunities(caller, config, page);
    yield { records: await decide(caller, config, history, records), cursor: { records: recordsPosition, opportunities: opportunitiesPosition } satisfies OutcomeCursor };
    handedOver = recordsPosition;
  }
  const settled = opportunitiesRead.settled();
  if (!isDeepStrictEqual(settled, opportunitiesPosition) || !isDeepStrictEqual(recordsPosition, handedOver)) {
    yield { records: [], cursor: { records: recordsPosition, opportunities: settled } satisfies OutcomeCursor };
  }
}

/**
 * The position of the newest change of the object's live records (null = none). Deleted records
 * are left out on purpose, unlike the lead pull's bound (leads.ts): the outcome queries read live
 * records only (query, not queryAll), so every record they can return is stamped at or before
 * this one, and a deletion or merge as the newest change hides or delays none. The cost: the
 * next pull's look-back starts before this older stamp, a few records more read again
 * (test/connectors/salesforce/pull-outcomes-deleted-newest.test.ts).
 */
async function newest(caller: ApiCaller, object: string): Promise<Position | null> {
  const result = await caller.call(`finding the newest ${object} change`, (conn) =>
    firstPage<{ Id: string; SystemModstamp: string }>(conn, `SELECT Id, SystemModstamp FROM ${object} ORDER BY SystemModstamp DESC, Id DESC LIMIT 1`),
  );
  const record = result.records[0];
  const since = isoFromSalesforce(record?.SystemModstamp);
  return since ? { since, lastId: record.Id } : null;
}

/** The scored records an opportunity page concerns: leads converted into them, or their contacts. */
async function recordsOfOpportunities(caller: ApiCaller, config: SalesforceConfig, opportunities: SoqlRecord[]): Promise<SoqlRecord[]> {
  if (config.object === 'Contact') {
    const ids = [...new Set(opportunities.map((o) => o.ContactId).filter((id): id is string => typeof id === 'string'))];
    return ids.map((Id) => ({ Id }));
  }
  const out: SoqlRecord[] = [];
  for (const ids of chunks(opportunities.map((o) => o.Id), config.idChunkSize)) {
    const soql = `SELECT ${LEAD_FIELDS.join(', ')} FROM Lead WHERE ConvertedOpportunityId IN (${ids.map(soqlString).join(',')})`;
    out.push(...(await soqlAll(caller, config, soql, 'reading the leads converted into closed opportunities')));
  }
  return out;
}

async function decide(caller: ApiCaller, config: SalesforceConfig, history: StatusHistory, records: SoqlRecord[]): Promise<OutcomeRecord[]> {
  const definition = config.outcome;
  const out: OutcomeRecord[] = [];
  if (config.object === 'Contact') {
    const byContact = await opportunitiesBy(caller, config, 'ContactId', records.map((r) => r.Id));
    for (const r of records) {
      const decision = decideContactOutcome(byContact.get(r.Id) ?? [], definition);
      if (decision) out.push({ crm: 'salesforce', leadId: r.Id, ...decision });
    }
    return out;
  }
  const opportunityIds = records.map((r) => r.ConvertedOpportunityId).filter((id): id is string => typeof id === 'string' && id !== '');
  const opportunities = definition.wonWhen === 'converted' && !definition.lostWhenOpportunityLost ? new Map() : await opportunitiesBy(caller, config, 'Id', opportunityIds);
  const facts = records.map(leadFacts);
  const byStatus = records.filter((_, i) => closedByStatus(facts[i], definition)).map((r) => ({ id: r.Id, status: String(r.Status) }));
  const statusSetAt = byStatus.length > 0 ? await history.closedAt(byStatus) : new Map<string, string>();
  records.forEach((r, i) => {
    const opportunity = typeof r.ConvertedOpportunityId === 'string' ? (opportunities.get(r.ConvertedOpportunityId)?.[0] ?? null) : null;
    const decision = decideLeadOutcome({ ...facts[i], statusSetAt: statusSetAt.get(r.Id) ?? null }, opportunity, definition);
    if (decision) out.push({ crm: 'salesforce', leadId: r.Id, ...decision });
  });
  return out;
}

function leadFacts(r: SoqlRecord): LeadFacts {
  return {
    isConverted: r.IsConverted === true,
    convertedDate: typeof r.ConvertedDate === 'string' ? r.ConvertedDate : null,
    status: typeof r.Status === 'string' ? r.Status : null,
    statusSetAt: null,
    modifiedAt: isoFromSalesforce(r.LastModifiedDate) ?? isoFromSalesforce(r.SystemModstamp) ?? new Date(0).toISOString(),
  };
}

/** Opportunities grouped by `key` (Id or ContactId), read in `IN (...)` chunks. */
async function opportunitiesBy(caller: ApiCaller, config: SalesforceConfig, key: 'Id' | 'ContactId', values: string[]): Promise<Map<string, OpportunityFacts[]>> {
  const out = new Map<string, OpportunityFacts[]>();
  for (const ids of chunks([...new Set(values)], config.idChunkSize)) {
    const soql = `SELECT ${OPPORTUNITY_FIELDS.join(', ')} FROM Opportunity WHERE ${key} IN (${ids.map(soqlString).join(',')})`;
    for (const o of await soqlAll(caller, config, soql, 'reading opportunities')) {
      const group = String(o[key]);
      const list = out.get(group) ?? [];
      list.push({
        id: o.Id,
        isClosed: o.IsClosed === true,
        isWon: o.IsWon === true,
        closeDate: typeof o.CloseDate === 'string' ? o.CloseDate : null,
        stage: typeof o.StageName === 'string' ? o.StageName : null,
      });
      out.set(group, list);
    }
  }
  return out;
}

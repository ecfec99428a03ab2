import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, makeLeads, rejection, startSalesforce } from './helpers.js';

interface Row {
  Status: string;
  job_title__c: string | null;
  score__c: number;
  CreatedDate: string;
}

describe('Salesforce sandbox: SOQL GROUP BY, aggregates and FIELDS() through jsforce', () => {
  let sandbox: RunningSandbox;
  let rows: Row[];

  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(600) });
    rows = (await connect(sandbox).query<Row>('SELECT Status, job_title__c, score__c, CreatedDate FROM Lead', { autoFetch: true, maxFetch: 10_000 })).records;
  });
  afterAll(async () => sandbox.close());

  const tally = <K>(key: (r: Row) => K) => {
    const m = new Map<K, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };

  it('GROUP BY Status with COUNT(Id) answers AggregateResult rows named expr0', async () => {
    const res = await connect(sandbox).query<{ Status: string; expr0: number }>('SELECT Status, COUNT(Id) FROM Lead GROUP BY Status ORDER BY Status');
    const expected = [...tally((r) => r.Status)].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(res.records.map((r) => [r.Status, r.expr0])).toEqual(expected);
    expect(res.totalSize).toBe(expected.length);
    expect(res.done).toBe(true);
    expect((res.records[0] as { attributes?: unknown }).attributes).toEqual({ type: 'AggregateResult' });
  });

  it('aggregates without GROUP BY are one row; aliases name their column, the others count expr0, expr1', async () => {
    const res = await connect(sandbox).query<Record<string, unknown>>(
      'SELECT COUNT(Id) total, MIN(score__c), MAX(score__c), SUM(score__c), AVG(score__c) avgScore, COUNT_DISTINCT(job_title__c), MAX(CreatedDate) FROM Lead',
    );
    const scores = rows.map((r) => r.score__c);
    const sum = scores.reduce((a, b) => a + b, 0);
    const latest = rows.map((r) => r.CreatedDate).sort().at(-1);
    expect(res.records).toHaveLength(1);
    const { attributes: _, ...row } = res.records[0];
    expect(row).toEqual({
      total: rows.length,
      expr0: Math.min(...scores),
      expr1: Math.max(...scores),
      expr2: sum,
      avgScore: sum / rows.length,
      expr3: new Set(rows.map((r) => r.job_title__c).filter((j) => j !== null)).size,
      expr4: latest,
    });
  });

  it('GROUP BY with a WHERE and LIMIT counts groups, and COUNT(field) skips nulls', async () => {
    const res = await connect(sandbox).query<{ job_title__c: string | null; expr0: number }>(
      "SELECT job_title__c, COUNT(job_title__c) FROM Lead WHERE Status != 'x' GROUP BY job_title__c ORDER BY job_title__c NULLS FIRST LIMIT 3",
    );
    expect(res.records).toHaveLength(3);
    expect(res.records[0]).toMatchObject({ job_title__c: null, expr0: 0 });
    expect(res.records[1].expr0).toBe(tally((r) => r.job_title__c).get(res.records[1].job_title__c));
  });

  it('refuses what Salesforce refuses: an ungrouped field, SUM of text, ORDER BY an ungrouped field', async () => {
    const conn = connect(sandbox);
    for (const [soql, message] of [
      ['SELECT Status, job_title__c, COUNT(Id) FROM Lead GROUP BY Status', 'Field must be grouped or aggregated: job_title__c'],
      ['SELECT SUM(Status) FROM Lead', 'does not support aggregate operator SUM'],
      ['SELECT Status, COUNT(Id) FROM Lead GROUP BY Status ORDER BY CreatedDate', 'Ordered field must be grouped or aggregated: CreatedDate'],
    ]) {
      const err = await rejection(conn.query(soql));
      expect(err.errorCode).toBe('MALFORMED_QUERY');
      expect(err.message).toContain(message);
    }
  });

  it('valid SOQL the sandbox does not implement is MALFORMED_QUERY naming the construct', async () => {
    const conn = connect(sandbox);
    for (const [soql, construct] of [
      ['SELECT Status, COUNT(Id) FROM Lead GROUP BY Status HAVING COUNT(Id) > 1', 'HAVING'],
      ['SELECT Id, (SELECT Id FROM Tasks) FROM Lead', 'A subquery in the select list'],
      ['SELECT CALENDAR_YEAR(CreatedDate), COUNT(Id) FROM Lead GROUP BY CALENDAR_YEAR(CreatedDate)', 'The function CALENDAR_YEAR()'],
      ['SELECT Status FROM Lead GROUP BY ROLLUP(Status)', 'GROUP BY ROLLUP'],
      ['SELECT Id FROM Lead LIMIT 1 FOR UPDATE', 'FOR VIEW / FOR REFERENCE / FOR UPDATE'],
    ]) {
      const err = await rejection(conn.query(soql));
      expect(err.errorCode).toBe('MALFORMED_QUERY');
      expect(err.message).toContain(`${construct} is valid SOQL but not supported by the leadlift sandbox`);
    }
  });

  it('FIELDS(STANDARD) selects the standard fields, FIELDS(CUSTOM) the custom ones, FIELDS(ALL) both', async () => {
    const conn = connect(sandbox);
    const described = await conn.sobject('Lead').describe();
    const names = (custom: boolean | null) => described.fields.filter((f) => custom === null || f.custom === custom).map((f) => f.name);
    const keys = (r: Record<string, unknown>) => Object.keys(r).filter((k) => k !== 'attributes');
    const standard = await conn.query<Record<string, unknown>>('SELECT FIELDS(STANDARD) FROM Lead');
    expect(standard.totalSize).toBe(rows.length);
    expect(keys(standard.records[0])).toEqual(names(false));
    const custom = await conn.query<Record<string, unknown>>('SELECT FIELDS(CUSTOM) FROM Lead LIMIT 5');
    expect(keys(custom.records[0])).toEqual(names(true));
    const all = await conn.query<Record<string, unknown>>('SELECT FIELDS(ALL) FROM Lead LIMIT 200');
    expect(all.records).toHaveLength(200);
    expect(keys(all.records[0])).toEqual(names(null));
  });

  it('FIELDS(ALL) and FIELDS(CUSTOM) need LIMIT 200 or less, as on the real API', async () => {
    const conn = connect(sandbox);
    for (const soql of ['SELECT FIELDS(ALL) FROM Lead', 'SELECT FIELDS(ALL) FROM Lead LIMIT 201', 'SELECT FIELDS(CUSTOM) FROM Lead']) {
      const err = await rejection(conn.query(soql));
      expect(err.errorCode).toBe('MALFORMED_QUERY');
      expect(err.message).toContain('The SOQL FIELDS function must have a LIMIT of at most 200');
    }
  });
});

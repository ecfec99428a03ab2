import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { dateLiteralRange } from '../../../connectors/sandbox/salesforce/soql/date-literals.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

const utc = (s: string) => Date.parse(s);
const range = (name: string, n: number | undefined, now: string) => {
  const r = dateLiteralRange(name, n, utc(now));
  return [new Date(r.start).toISOString(), new Date(r.end).toISOString()];
};

describe('SOQL date literal ranges (UTC, weeks from Sunday)', () => {
  // A Wednesday in the middle of a quarter.
  const now = '2025-05-14T15:30:00.000Z';
  it.each([
    ['TODAY', undefined, '2025-05-14T00:00:00.000Z', '2025-05-15T00:00:00.000Z'],
    ['YESTERDAY', undefined, '2025-05-13T00:00:00.000Z', '2025-05-14T00:00:00.000Z'],
    ['TOMORROW', undefined, '2025-05-15T00:00:00.000Z', '2025-05-16T00:00:00.000Z'],
    ['THIS_WEEK', undefined, '2025-05-11T00:00:00.000Z', '2025-05-18T00:00:00.000Z'],
    ['LAST_WEEK', undefined, '2025-05-04T00:00:00.000Z', '2025-05-11T00:00:00.000Z'],
    ['THIS_MONTH', undefined, '2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'],
    ['LAST_MONTH', undefined, '2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'],
    ['THIS_QUARTER', undefined, '2025-04-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
    ['LAST_YEAR', undefined, '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['THIS_FISCAL_YEAR', undefined, '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
    // Includes today: LAST_N_DAYS:1 is yesterday and today.
    ['LAST_N_DAYS', 1, '2025-05-13T00:00:00.000Z', '2025-05-15T00:00:00.000Z'],
    ['LAST_90_DAYS', undefined, '2025-02-13T00:00:00.000Z', '2025-05-15T00:00:00.000Z'],
    ['NEXT_N_DAYS', 2, '2025-05-15T00:00:00.000Z', '2025-05-17T00:00:00.000Z'],
    ['N_DAYS_AGO', 3, '2025-05-11T00:00:00.000Z', '2025-05-12T00:00:00.000Z'],
    ['LAST_N_WEEKS', 2, '2025-04-27T00:00:00.000Z', '2025-05-11T00:00:00.000Z'],
    ['LAST_N_MONTHS', 2, '2025-03-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'],
    ['N_MONTHS_AGO', 5, '2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['LAST_N_QUARTERS', 1, '2025-01-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'],
    ['LAST_N_HOURS', 2, '2025-05-14T13:00:00.000Z', '2025-05-14T16:00:00.000Z'],
    ['N_HOURS_AGO', 1, '2025-05-14T14:00:00.000Z', '2025-05-14T15:00:00.000Z'],
  ])('%s%s', (name, n, start, end) => {
    expect(range(name, n, now)).toEqual([start, end]);
  });
});

describe('Salesforce sandbox: SOQL date literals through jsforce', () => {
  const N = 3000;
  let sandbox: RunningSandbox;
  let leads: SeedLead[];
  const count = async (where: string) => (await connect(sandbox).query(`SELECT COUNT() FROM Lead WHERE ${where}`)).totalSize;

  beforeAll(async () => {
    leads = makeLeads(N);
    sandbox = await startSalesforce({ seed: leads });
  });
  afterAll(async () => sandbox.close());

  const created = (pred: (ms: number) => boolean) => leads.filter((l) => pred(l.createdAt)).length;

  it.each([
    ['CreatedDate = LAST_N_DAYS:30', 'LAST_N_DAYS', 30, '='],
    ['CreatedDate > LAST_MONTH', 'LAST_MONTH', undefined, '>'],
    ['CreatedDate < LAST_N_DAYS:30', 'LAST_N_DAYS', 30, '<'],
    ['CreatedDate >= last_month', 'LAST_MONTH', undefined, '>='],
    ['CreatedDate <= THIS_YEAR', 'THIS_YEAR', undefined, '<='],
    ['CreatedDate != N_DAYS_AGO:100', 'N_DAYS_AGO', 100, '!='],
    ['CreatedDate = LAST_N_HOURS:48', 'LAST_N_HOURS', 48, '='],
  ] as const)('%s counts the leads the range holds', async (where, name, n, op) => {
    const { now } = await control<{ now: number }>(sandbox, 'GET', '/clock');
    const { start, end } = dateLiteralRange(name, n, now);
    const test = { '=': (v: number) => v >= start && v < end, '!=': (v: number) => v < start || v >= end, '<': (v: number) => v < start, '<=': (v: number) => v < end, '>': (v: number) => v >= end, '>=': (v: number) => v >= start }[op];
    const expected = created(test);
    expect(expected).toBeGreaterThan(0);
    expect(await count(where)).toBe(expected);
  });

  it('TODAY and YESTERDAY compare a date field by whole days', async () => {
    const conn = connect(sandbox);
    const { now } = await control<{ now: number }>(sandbox, 'GET', '/clock');
    const today = new Date(now).toISOString().slice(0, 10);
    const rows = (await conn.query<{ ConvertedDate: string | null }>('SELECT ConvertedDate FROM Lead', { autoFetch: true, maxFetch: 100_000 })).records;
    const expected = rows.filter((r) => r.ConvertedDate !== null && r.ConvertedDate < today).length;
    expect(expected).toBeGreaterThan(0);
    expect((await conn.query('SELECT COUNT() FROM Lead WHERE ConvertedDate < TODAY')).totalSize).toBe(expected);
    expect((await conn.query('SELECT COUNT() FROM Lead WHERE ConvertedDate IN (YESTERDAY, TODAY, TOMORROW) OR IsConverted = false')).totalSize).toBeGreaterThan(0);
  });

  it('a date literal against a text field, or one missing its :n, is MALFORMED_QUERY', async () => {
    const conn = connect(sandbox);
    const wrongField = await rejection(conn.query('SELECT Id FROM Lead WHERE Status = TODAY'));
    expect(wrongField.errorCode).toBe('MALFORMED_QUERY');
    expect(wrongField.message).toMatch(/must be of type string and should be enclosed in quotes/);
    const noN = await rejection(conn.query('SELECT Id FROM Lead WHERE CreatedDate > LAST_N_DAYS'));
    expect(noN.errorCode).toBe('MALFORMED_QUERY');
    expect(noN.message).toMatch(/LAST_N_DAYS needs a number/);
  });
});

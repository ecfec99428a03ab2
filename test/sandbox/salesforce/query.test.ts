import { SfDate } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, makeLeads, rejection, startSalesforce } from './helpers.js';

interface LeadRow {
  attributes?: { type: string; url: string };
  Id: string;
  lead_id__c: string;
  job_title__c: string | null;
  score__c: number;
  Status: string;
  IsConverted: boolean;
  CreatedDate: string;
}

describe('Salesforce sandbox: SOQL query and queryMore', () => {
  const N = 5000;
  let sandbox: RunningSandbox;
  let leads: SeedLead[];
  let byExternal: Map<string, SeedLead>;
  let all: LeadRow[];
  const count = async (where: string) => (await connect(sandbox).query(`SELECT COUNT() FROM Lead WHERE ${where}`)).totalSize;
  const expected = (pred: (l: SeedLead) => boolean) => leads.filter(pred).length;
  const job = (l: SeedLead) => l.values['Job Title'] || null;
  const score = (l: SeedLead) => Number(l.values.Score);

  beforeAll(async () => {
    leads = makeLeads(N);
    byExternal = new Map(leads.map((l) => [l.externalId, l]));
    sandbox = await startSalesforce({ seed: leads });
    const res = await connect(sandbox).query<LeadRow>(
      'SELECT Id, lead_id__c, job_title__c, score__c, Status, IsConverted, CreatedDate FROM Lead',
      { autoFetch: true, maxFetch: 100_000 },
    );
    all = res.records;
  });
  afterAll(async () => sandbox.close());

  it('pages 2,000 records at a time through nextRecordsUrl to the end', async () => {
    const conn = connect(sandbox);
    const first = await conn.query<LeadRow>('SELECT Id, lead_id__c FROM Lead ORDER BY lead_id__c');
    expect(first.totalSize).toBe(N);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    // jsforce rebuilds the URL from the locator; the server's own answer is the relative path.
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v60\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const raw = await fetch(`${sandbox.url}/services/data/v60.0/query?q=SELECT+Id+FROM+Lead`, { headers: { authorization: `Bearer ${sandbox.token}` } });
    expect(((await raw.json()) as { nextRecordsUrl: string }).nextRecordsUrl).toMatch(/^\/services\/data\/v60\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    expect(first.records[0].attributes).toEqual({ type: 'Lead', url: `/services/data/v60.0/sobjects/Lead/${first.records[0].Id}` });
    const ids = first.records.map((r) => r.lead_id__c);
    let page = first;
    let pages = 1;
    while (!page.done) {
      page = await conn.queryMore<LeadRow>(page.nextRecordsUrl!);
      ids.push(...page.records.map((r) => r.lead_id__c));
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
    expect(ids).toEqual([...ids].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    // A finished cursor is gone.
    const stale = await rejection(conn.queryMore(first.nextRecordsUrl!.replace(/-2000$/, '-4000')));
    expect(stale.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('autoFetch with maxFetch stops where asked; autoFetch alone reads everything', async () => {
    const conn = connect(sandbox);
    const some = await conn.query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 4500 });
    expect(some.records).toHaveLength(4500);
    expect(all).toHaveLength(N);
    expect(new Set(all.map((r) => r.Id)).size).toBe(N);
    expect(all.every((r) => /^00Q[A-Za-z0-9]{15}$/.test(r.Id))).toBe(true);
  });

  it('stores the seed columns as typed custom fields with the seed values', () => {
    for (const r of all.slice(0, 300)) {
      const seed = byExternal.get(r.lead_id__c)!;
      expect(r.score__c).toBe(score(seed));
      expect(r.job_title__c).toBe(job(seed));
      expect(Date.parse(r.CreatedDate)).toBe(seed.createdAt);
      expect(r.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    }
  });

  it('filters with = != < <= > >= on numbers, strings, booleans and null', async () => {
    expect(await count('score__c = 37')).toBe(expected((l) => score(l) === 37));
    expect(await count('score__c != 37')).toBe(expected((l) => score(l) !== 37));
    expect(await count('score__c < 10')).toBe(expected((l) => score(l) < 10));
    expect(await count('score__c <= 10')).toBe(expected((l) => score(l) <= 10));
    expect(await count('score__c > 90.5')).toBe(expected((l) => score(l) > 90.5));
    expect(await count('score__c >= -1')).toBe(N);
    expect(await count("job_title__c = 'TECHNICIAN'")).toBe(expected((l) => job(l) === 'technician'));
    expect(await count("job_title__c != 'technician'")).toBe(expected((l) => job(l) !== 'technician'));
    expect(await count('job_title__c = null')).toBe(expected((l) => job(l) === null));
    expect(await count('job_title__c != null')).toBe(expected((l) => job(l) !== null));
    expect(await count('IsConverted = true')).toBe(all.filter((r) => r.IsConverted).length);
    expect(await count('IsConverted = false')).toBe(all.filter((r) => !r.IsConverted).length);
    expect(all.filter((r) => r.IsConverted).length).toBeGreaterThan(0);
  });

  it('filters on datetimes, quoted or not, with Z or an offset', async () => {
    const cut = leads[2500].createdAt;
    const iso = new Date(cut).toISOString();
    const want = expected((l) => l.createdAt >= cut);
    expect(await count(`CreatedDate >= ${iso}`)).toBe(want);
    expect(await count(`CreatedDate >= ${iso.replace('.000Z', 'Z')}`)).toBe(want);
    expect(await count(`CreatedDate >= ${iso.replace('.000Z', '+00:00')}`)).toBe(want);
    expect(await count(`CreatedDate < ${iso}`)).toBe(N - want);
    const err = await rejection(connect(sandbox).query(`SELECT Id FROM Lead WHERE CreatedDate > '${iso}'`));
    expect(err.errorCode).toBe('MALFORMED_QUERY');
  });

  it('filters with LIKE, IN, NOT IN, AND, OR, NOT and parentheses', async () => {
    expect(await count("job_title__c LIKE 'tech%'")).toBe(expected((l) => job(l) === 'technician'));
    expect(await count("job_title__c LIKE '%e_t'")).toBe(expected((l) => /e.t$/.test(job(l) ?? '')));
    expect(await count("job_title__c IN ('retired', 'student')")).toBe(expected((l) => ['retired', 'student'].includes(job(l) ?? '')));
    expect(await count("job_title__c NOT IN ('retired', 'student')")).toBe(expected((l) => !['retired', 'student'].includes(job(l) ?? '')));
    expect(await count("score__c IN (1, 2, 3)")).toBe(expected((l) => [1, 2, 3].includes(score(l))));
    expect(await count("(job_title__c = 'retired' OR job_title__c = 'student') AND score__c < 50")).toBe(
      expected((l) => ['retired', 'student'].includes(job(l) ?? '') && score(l) < 50),
    );
    expect(await count("NOT (score__c < 50 OR job_title__c = null)")).toBe(expected((l) => !(score(l) < 50 || job(l) === null)));
    expect(await count("(NOT job_title__c LIKE 'tech%') AND score__c > 10")).toBe(
      expected((l) => !(job(l) === 'technician') && score(l) > 10),
    );
  });

  it("accepts the SOQL jsforce's query builder writes (find with '*', $gte on a datetime, $nin, sort)", async () => {
    const cut = new Date(leads[4000].createdAt);
    const rows = await connect(sandbox)
      .sobject('Lead')
      .find({ CreatedDate: { $gte: SfDate.toDateTimeLiteral(cut) }, job_title__c: { $nin: ['retired'] } }, '*')
      .sort({ CreatedDate: -1 })
      .limit(5);
    const want = [...leads].reverse().filter((l) => l.createdAt >= cut.getTime() && job(l) !== 'retired').slice(0, 5);
    expect(rows.map((r) => r.lead_id__c)).toEqual(want.map((l) => l.externalId));
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['Id', 'Status', 'SystemModstamp', 'score__c']));
  });

  it('sorts on several fields with ASC/DESC and NULLS FIRST/LAST, then LIMIT and OFFSET', async () => {
    const conn = connect(sandbox);
    const res = await conn.query<LeadRow>(
      'SELECT lead_id__c, job_title__c, score__c FROM Lead ORDER BY job_title__c ASC NULLS LAST, score__c DESC LIMIT 1500',
    );
    expect(res.totalSize).toBe(1500);
    expect(res.done).toBe(true);
    const wanted = [...leads]
      .sort((a, b) => {
        const ja = job(a);
        const jb = job(b);
        if (ja !== jb) return ja === null ? 1 : jb === null ? -1 : ja < jb ? -1 : 1;
        return score(b) - score(a) || a.index - b.index;
      })
      .slice(0, 1500);
    expect(res.records.map((r) => [r.job_title__c, r.score__c])).toEqual(wanted.map((l) => [job(l), score(l)]));

    const nullsFirst = await conn.query<LeadRow>('SELECT job_title__c FROM Lead ORDER BY job_title__c LIMIT 3');
    expect(nullsFirst.records.map((r) => r.job_title__c)).toEqual([null, null, null]);

    const offset = await conn.query<LeadRow>('SELECT lead_id__c FROM Lead ORDER BY score__c, lead_id__c LIMIT 5 OFFSET 10');
    const byScore = await conn.query<LeadRow>('SELECT lead_id__c FROM Lead ORDER BY score__c, lead_id__c LIMIT 15');
    expect(offset.records.map((r) => r.lead_id__c)).toEqual(byScore.records.slice(10).map((r) => r.lead_id__c));
  });

  it('answers what it does not understand with MALFORMED_QUERY and unknown fields with INVALID_FIELD', async () => {
    const conn = connect(sandbox);
    const malformed = [
      'SELECT Id FROM Lead WHERE',
      'SELECT Id FROM Lead GROUP BY Status',
      "SELECT Id FROM Lead WHERE Status = 'a' AND Status = 'b' OR Status = 'c'",
      "SELECT Id FROM Lead WHERE score__c = '5'",
      'SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS',
      'SELECT Id, (SELECT Id FROM Tasks) FROM Lead',
      'DELETE FROM Lead',
    ];
    for (const soql of malformed) {
      const err = await rejection(conn.query(soql));
      expect(err.errorCode, soql).toBe('MALFORMED_QUERY');
    }
    const unknown = await rejection(conn.query('SELECT Id, Nope__c FROM Lead'));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    expect(unknown.message).toContain("No such column 'Nope__c' on entity 'Lead'");
    const res = await fetch(`${sandbox.url}/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id FROM Lead WHERE')}`, {
      headers: { authorization: `Bearer ${sandbox.token}` },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Array<{ errorCode: string; message: string }>;
    expect(body).toHaveLength(1);
    expect(body[0].errorCode).toBe('MALFORMED_QUERY');
    const badObject = await rejection(conn.query('SELECT Id FROM Widget__c'));
    expect(badObject.errorCode).toBe('INVALID_TYPE');
  });

  it('hides deleted records from query; queryAll shows them with IsDeleted = true', async () => {
    const conn = connect(sandbox);
    const victim = all[0].Id;
    await conn.sobject('Lead').destroy(victim);
    const live = await conn.query(`SELECT Id FROM Lead WHERE Id = '${victim}'`);
    expect(live.totalSize).toBe(0);
    const withDeleted = await conn.query<{ Id: string; IsDeleted: boolean }>(
      `SELECT Id, IsDeleted FROM Lead WHERE Id = '${victim.slice(0, 15)}'`,
      { scanAll: true },
    );
    expect(withDeleted.records).toEqual([expect.objectContaining({ Id: victim, IsDeleted: true })]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-file-style-');
let model = '';
let header = '';
let rows: string[] = [];

beforeAll(() => {
  model = join(ws.dir, 'model.json');
  const t = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model]);
  expect(t.status, t.stderr).toBe(0);
  [header, ...rows] = readFileSync(ws.csv, 'utf8').trim().split('\n');
});

function score(name: string, bytes: Buffer): { status: number | null; stderr: string; output: string } {
  const input = join(ws.dir, name);
  writeFileSync(input, bytes);
  const output = `${input}.scored.csv`;
  const r = ws.run(['score', '--input', input, '--model', model, '--output', output]);
  return { status: r.status, stderr: r.stderr, output };
}

describe('leadlift score writes the file as the input was written', () => {
  it("keeps a UTF-8 BOM and CRLF line endings, so Excel still reads 'España'", () => {
    const lines = [header, ...rows.slice(0, 5).map((l) => l.replace(/,(PT|ES),/, ',España,'))];
    const r = score('excel.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`)]));
    expect(r.status, r.stderr).toBe(0);
    const out = readFileSync(r.output);
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.subarray(3, 5).toString()).toBe('id');
    const text = out.toString('utf8');
    expect(text.split('\r\n')).toHaveLength(7);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text).toContain('España');
  });

  it('quotes a value holding a line break in a CRLF file, so every lead stays one record', () => {
    const lines = [`${header},notes`, ...rows.slice(0, 4).map((l, i) => `${l},"call back\n${i % 2 ? 'next week' : 'after the demo\r\nwith pricing'}"`)];
    const r = score('notes.csv', Buffer.from(`${lines.join('\r\n')}\r\n`));
    expect(r.status, r.stderr).toBe(0);
    const records = parse(readFileSync(r.output, 'utf8'), { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    expect(records).toHaveLength(4);
    expect(records.map((rec) => rec.notes.split(/\r?\n/)[0])).toEqual(['call back', 'call back', 'call back', 'call back']);
    for (const rec of records) expect(Number(rec.leadlift_score)).toBeGreaterThanOrEqual(0);
  });

  it('refuses an --output that is a folder before any work (exit 2)', () => {
    const r = ws.run(['score', '--input', ws.csv, '--model', model, '--output', ws.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('it is a folder, not a file');
  });

  it('writes no BOM and plain LF for a plain file', () => {
    const r = score('plain.csv', Buffer.from(`${[header, ...rows.slice(0, 5)].join('\n')}\n`));
    expect(r.status, r.stderr).toBe(0);
    const out = readFileSync(r.output);
    expect(out[0]).toBe('i'.charCodeAt(0));
    expect(out.toString('utf8')).not.toContain('\r');
  });

  it('refuses (exit 2) a file with a header and no leads, as evaluate does, and writes nothing', () => {
    const r = score('header-only.csv', Buffer.from(`${header}\n`));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the file has no data rows, only the header');
    expect(existsSync(r.output)).toBe(false);
  });
});

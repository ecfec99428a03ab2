import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/features/build-dataset.js';
import { looksLikePhoneNumber } from '../../src/features/identifier-columns.js';
import { guardLeakage } from '../../src/features/leakage.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { tableFromRecords } from '../../src/features/raw-table.js';

describe('a phone-like header is a phone number only when its values are', () => {
  const n = 200;
  const rows = Array.from({ length: n }, (_, i) => i);
  const y = Uint8Array.from(rows, (i) => ((i * 37 + 11) % 7 < 2 ? 1 : 0));
  const records = rows.map((i) => ({
    phone: i % 2 ? 'cellular' : 'telephone',
    Mobile: ['yes', 'no', 'maybe'][i % 3],
    'Mobile Phone': `+351 91${String(1_000_000 + i * 37).slice(0, 7)}`,
    Fax: i % 10 === 0 ? '' : `(555) ${100 + (i % 800)}-${String(1000 + i).slice(-4)} x${i % 9}`,
    'Home Phone': String(5_550_000_000 + i * 7919),
    visits: String(i % 9),
  }));
  const options = parseDatasetOptions({});
  const verdict = guardLeakage(buildDataset(tableFromRecords(records), options), rows, y, Object.keys(records[0]), options);
  const reasons = Object.fromEntries(verdict.excluded.map((e) => [e.column, e.reason]));

  it('keeps category columns under "Phone" or "Mobile" headers as inputs', () => {
    expect(verdict.kept, JSON.stringify(reasons)).toContain('phone');
    expect(verdict.kept).toContain('Mobile');
  });

  it('still excludes real phone numbers, written as text or read as whole numbers', () => {
    for (const column of ['Mobile Phone', 'Fax', 'Home Phone']) {
      expect(reasons[column], column).toMatch(/^personal identifier: a phone number/);
    }
  });

  it('tells phone numbers from other values', () => {
    for (const text of ['+351 912 345 678', '(555) 123-4567', '555.123.4567 ext. 12', '5551234567']) expect(looksLikePhoneNumber(text), text).toBe(true);
    for (const text of ['cellular', 'yes', '42', '2024-01-05 10:00', '+1 555 123 4567 8901 23']) expect(looksLikePhoneNumber(text), text).toBe(false);
  });

  it("keeps the bank data's contact type (cellular/telephone) as an input under a Phone header", () => {
    // The bank file's own header, "contact", was never read as a phone header; "Phone" is.
    const bank = readFileSync(fileURLToPath(new URL('../../config/sample/bank-marketing-sample.csv', import.meta.url)), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'leadlift-phone-'));
    try {
      const input = join(dir, 'bank.csv');
      writeFileSync(input, bank.replace(/^(.*?)"?contact"?;/, '$1"Phone";'));
      const prepared = prepareTraining({ input, label: 'y', exclude: ['duration'] });
      expect(prepared.excluded.map((e) => e.column)).not.toContain('Phone');
      expect(prepared.pipeline.sourceColumns).toContain('Phone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

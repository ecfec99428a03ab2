import { describe, expect, it } from 'vitest';
import { readCsvFile } from '../../src/features/read-csv.js';
import { tmpCsvWriter } from './tmp-csv.js';

const write = tmpCsvWriter();

describe('reading a CSV also tells how it is written, so score need not read the file again', () => {
  it('a BOM and CRLF line endings', () => {
    const table = readCsvFile(write('excel.csv', '\uFEFFid,country\r\n1,España\r\n'));
    expect(table.style).toEqual({ bom: true, crlf: true });
    expect(table.columns).toEqual(['id', 'country']);
  });

  it('neither, and the header row decides the line ending', () => {
    expect(readCsvFile(write('plain.csv', 'id,note\n1,"a\r\nb"\n')).style).toEqual({ bom: false, crlf: false });
  });
});

import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { sniffDelimiter } from '../../src/features/delimiter.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { readCsvFile } from '../../src/features/read-csv.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { tmpCsvWriter } from './tmp-csv.js';

const write = tmpCsvWriter();

describe('readCsvFile', () => {
  it.each([
    ['comma', ','],
    ['semicolon', ';'],
    ['tab', '\t'],
    ['pipe', '|'],
  ])('sniffs a %s-separated file', (name, sep) => {
    const path = write(`${name}.csv`, ['id,name,score', '1,Ann,3.5', '2,Bob,4'].map((l) => l.replaceAll(',', sep)).join('\n'));
    const table = readCsvFile(path);
    expect(table.columns).toEqual(['id', 'name', 'score']);
    expect(table.rowCount).toBe(2);
    expect(table.cells[1]).toEqual(['Ann', 'Bob']);
  });

  it('ignores delimiters inside quoted fields when sniffing and parsing', () => {
    const text = 'company;note;y\n"Acme, Inc.";"said ""call me""; later";yes\n"Beta, Ltd";"a,b,c,d";no\n';
    expect(sniffDelimiter(text)).toBe(';');
    const table = readCsvFile(write('quoted.csv', text));
    expect(table.cells[0]).toEqual(['Acme, Inc.', 'Beta, Ltd']);
    expect(table.cells[1]).toEqual(['said "call me"; later', 'a,b,c,d']);
  });

  it('strips a UTF-8 byte order mark from the first column name', () => {
    const table = readCsvFile(write('bom.csv', '\ufeffemail,source\r\na@x.io,Google\r\n'));
    expect(table.columns).toEqual(['email', 'source']);
    expect(table.cells[1]).toEqual(['Google']);
  });

  it('uses the given separator instead of sniffing ("tab" spelled out works)', () => {
    const path = write('tab-given.csv', 'a\tb,c\n1\t2,3\n');
    expect(readCsvFile(path, { delimiter: 'tab' }).columns).toEqual(['a', 'b,c']);
    expect(readCsvFile(path, { delimiter: ',' }).columns).toEqual(['a\tb', 'c']);
  });

  it('names the file and line of a ragged row', () => {
    const path = write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    expect(() => readCsvFile(path)).toThrow(InputError);
    expect(() => readCsvFile(path)).toThrow(/ragged\.csv, line 3: the row has 2 fields but the header has 3/);
  });

  it('reads a CRLF file with one LF-only line as separate rows, and names the right line after it', () => {
    // Line 4 ends in LF alone; the ragged row is line 6.
    const path = write('mixed-endings.csv', 'a,b,c\r\n1,2,3\r\n4,5,6\r\n7,8,9\n10,11,12\r\n13,14\r\n');
    expect(() => readCsvFile(path)).toThrow(/mixed-endings\.csv, line 6: the row has 2 fields but the header has 3/);
    const fixed = readCsvFile(write('mixed-endings-ok.csv', 'a,b,c\r\n1,2,3\r\n4,5,6\n7,8,9\r\n'));
    expect(fixed.rowCount).toBe(3);
    expect(fixed.cells[2]).toEqual(['3', '6', '9']);
  });

  it('counts a line break inside a quoted value once, in ragged-row and bad-quote errors alike', () => {
    // The quoted note spans lines 2-3; the empty line 4 is skipped; the ragged row is line 5.
    expect(() => readCsvFile(write('quoted-crlf.csv', 'a,b,c\r\n1,"two\r\nlines",3\r\n\r\n4,5\r\n'))).toThrow(/quoted-crlf\.csv, line 5: the row has 2 fields/);
    const unclosed = () => readCsvFile(write('quoted-crlf-open.csv', 'a,b,c\r\n1,"two\r\nlines",3\r\n4,"5,6\r\n'));
    expect(unclosed).toThrow(/quoted-crlf-open\.csv, line 4: malformed CSV \(Quote Not Closed: the parsing is finished with an opening quote;/);
  });

  it('names the line of an unclosed quote', () => {
    const path = write('badquote.csv', 'a,b\n1,2\n3,"oops\n');
    expect(() => readCsvFile(path)).toThrow(/badquote\.csv, line \d+: malformed CSV/);
  });

  it('reports a missing file and a duplicated header clearly', () => {
    expect(() => readCsvFile('/nonexistent/leads.csv')).toThrow(/Cannot read \/nonexistent\/leads\.csv: file not found/);
    expect(() => readCsvFile(write('dup.csv', 'a,b,a\n1,2,3\n'))).toThrow(/names the column "a" twice/);
  });

  it('names the columns that exist when the label, order or id column is missing', () => {
    const path = write('cols.csv', 'email,source,converted\na@x.io,web,yes\nb@x.io,ad,no\n');
    expect(() => prepareTraining({ input: path, label: 'won' })).toThrow(
      /the label column "won" does not exist\. Columns are: email, source, converted/,
    );
    expect(() => prepareTraining({ input: path, label: 'converted', order: 'created' })).toThrow(/the order column "created" does not exist/);
    expect(() => prepareTraining({ input: path, label: 'converted', id: 'lead_id' })).toThrow(/the id column "lead_id" does not exist/);
  });

  it('names the column a missing one differs from only in case or separators, without taking it in its place', () => {
    const path = write('near.csv', 'Lead Source,Created Date,y\nweb,2024-01-01,yes\nad,2024-01-02,no\n');
    expect(() => prepareTraining({ input: path, label: 'Y' })).toThrow(
      'the label column "Y" does not exist (did you mean "y"? column names must match exactly). Columns are: Lead Source, Created Date, y',
    );
    expect(() => prepareTraining({ input: path, label: 'y', order: 'created_date' })).toThrow(
      'the order column "created_date" does not exist (did you mean "Created Date"? column names must match exactly).',
    );
    // Nothing alike: no hint.
    expect(() => prepareTraining({ input: path, label: 'won' })).toThrow(/the label column "won" does not exist\. Columns are/);
  });
});

describe('tableFromRecords', () => {
  it('takes the union of fields in first-seen order; absent fields are null', () => {
    const table = tableFromRecords([{ email: 'a@x.io', visits: 3 }, { email: 'b@x.io', source: 'Google', visits: null }]);
    expect(table.columns).toEqual(['email', 'visits', 'source']);
    expect(table.cells).toEqual([['a@x.io', 'b@x.io'], ['3', null], [null, 'Google']]);
  });
});

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../domain/errors.js';
import { sniffDelimiter } from './delimiter.js';
import { fileStyleOf } from './file-style.js';
import { recordDelimiters } from './line-ends.js';
import type { RawTable } from './raw-table.js';

export interface ReadCsvOptions {
  /** One character; sniffed among , ; tab | when absent. "\\t" and "tab" mean a tab. */
  delimiter?: string;
}

/** Reads a CSV file (UTF-8, optional BOM, quoted fields) into a raw table. */
export function readCsvFile(path: string, options: ReadCsvOptions = {}): RawTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : String(code ?? error);
    throw new InputError(`Cannot read ${path}: ${why}`, { cause: error });
  }
  return parseCsvText(text, { ...options, source: path });
}

/** Parses CSV text; `source` names the file in error messages. */
export function parseCsvText(text: string, options: ReadCsvOptions & { source?: string } = {}): RawTable {
  const source = options.source ?? 'CSV input';
  const delimiter = options.delimiter === undefined ? sniffDelimiter(text) : normaliseDelimiter(options.delimiter, source);
  const records = parseRecords(text, delimiter, source, false) as string[][];
  if (records.length === 0) throw new InputError(`${source}: the file is empty (no header row)`);

  const columns = headerNames(records[0], source);
  const rowCount = records.length - 1;
  const cells = columns.map(() => new Array<string | null>(rowCount));
  for (let r = 0; r < rowCount; r++) {
    const record = records[r + 1];
    if (record.length !== columns.length && !isTrailingEmptyField(record, columns.length)) {
      throw raggedRow(text, delimiter, source, r + 1, record.length, columns.length);
    }
    for (let c = 0; c < columns.length; c++) cells[c][r] = record[c];
  }
  return { source, columns, rowCount, cells, delimiter, style: fileStyleOf(text) };
}

/** `bytes`: how far into the file (in UTF-8 bytes, with the BOM) the record and its line end reach. */
type RecordWithInfo = { record: string[]; info: { bytes: number } };

function parseRecords(text: string, delimiter: string, source: string, info: boolean): string[][] | RecordWithInfo[] {
  try {
    // Row lengths are checked by the caller, where the header's length is known for the message.
    return parse(text, { bom: true, delimiter, info, skip_empty_lines: true, relax_column_count: true, record_delimiter: recordDelimiters(text) });
  } catch (error) {
    throw csvProblem(error, source, text, delimiter);
  }
}

/**
 * The line (from 1) that byte `offset` of the file is on. Counted here rather than taken from
 * csv-parse's `lines`, which counts a CRLF inside a quoted value as two line ends, so every row
 * after such a value was reported a line too far on.
 */
function lineAt(text: string, offset: number): number {
  const bytes = Buffer.from(text, 'utf8');
  const end = text.includes('\n') ? 0x0a : 0x0d;
  let line = 1;
  for (let i = 0; i < Math.min(offset, bytes.length); i++) if (bytes[i] === end) line++;
  return line;
}

/** Line numbers cost a third of the parse time, so they are only worked out for the error. */
function raggedRow(text: string, delimiter: string, source: string, index: number, got: number, expected: number): InputError {
  const withInfo = parseRecords(text, delimiter, source, true) as RecordWithInfo[];
  // The row starts where the one before it ended, past any empty lines (skipped, not rows); a
  // quoted value can take a row over several lines, and its first is the one to look at.
  const bytes = Buffer.from(text, 'utf8');
  let start = withInfo[index - 1].info.bytes;
  while (bytes[start] === 0x0d || bytes[start] === 0x0a) start++;
  return new InputError(
    `${source}, line ${lineAt(text, start)}: the row has ${got} fields but the header has ${expected} ` +
      `(separator ${shownDelimiter(delimiter)}). ${separatorHint(text, delimiter)}`,
  );
}

function normaliseDelimiter(delimiter: string, source: string): string {
  if (delimiter === '\\t' || delimiter.toLowerCase() === 'tab') return '\t';
  if (delimiter.length !== 1) {
    throw new InputError(`${source}: the separator must be one character (got "${delimiter}")`);
  }
  return delimiter;
}

function headerNames(header: string[], source: string): string[] {
  const names = header.map((name, i) => name.trim() || `column_${i + 1}`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new InputError(`${source}: the header names the column "${name}" twice; rename one of them`);
    seen.add(name);
  }
  return names;
}

/** Some exports end every data row with a separator; that empty last field is not a value. */
function isTrailingEmptyField(record: string[], expected: number): boolean {
  return record.length === expected + 1 && record[expected] === '';
}

function shownDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}

/** Names the separator the file's first lines use when it is not the one read with. */
function separatorHint(text: string, delimiter: string): string {
  const likely = sniffDelimiter(text);
  if (likely === delimiter) return 'Check for an unquoted separator or a stray quote inside a value, or pass --sep.';
  const flag = likely === '\t' ? 'tab' : `'${likely}'`;
  return `The file looks ${shownDelimiter(likely)}-separated: pass --sep ${flag}, or leave --sep out to detect it.`;
}

/** Turns csv-parse's error (bad quoting) into one that names the file and the line. */
function csvProblem(error: unknown, source: string, text: string, delimiter: string): Error {
  const e = error as { code?: string; lines?: number; bytes?: number; message?: string };
  if (typeof e.code === 'string' && typeof e.lines === 'number') {
    // csv-parse's own line count (in `lines` and in its message) is off after a quoted CRLF; its `bytes` is not.
    const line = typeof e.bytes === 'number' ? lineAt(text, e.bytes) : e.lines;
    const what = (e.message ?? e.code).replace(/ (at|on) line \d+/g, '');
    return new InputError(
      `${source}, line ${line}: malformed CSV (${what}; separator ${shownDelimiter(delimiter)}). ${separatorHint(text, delimiter)}`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

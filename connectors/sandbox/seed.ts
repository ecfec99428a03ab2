import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { InputError } from '../../src/domain/errors.js';
import { sniffDelimiter } from '../../src/features/delimiter.js';
import { recordDelimiters } from '../../src/features/line-ends.js';
import { datasetOptionsSchema } from '../../src/features/options.js';
import { readOutcome } from '../../src/features/outcome.js';
import type { SeedLead } from './context.js';

export interface SeedOptions {
  /** Column holding the outcome. */
  label: string;
  /**
   * Label value that means won; every other value means lost. Absent: worked out as `evaluate`
   * and `train` do (a yes/no label's converted words mean won), refused as they refuse it.
   */
  positive?: string;
  /** Column the rows are ordered by (oldest first); file order when absent. */
  order?: string;
  /** Column holding an external id; the 1-based row number when absent. */
  id?: string;
  /** Field separator; detected from the first lines when absent, as `evaluate` does. */
  sep?: string;
  /** Share of the newest rows left open, their outcome hidden (default 0.2). */
  openFraction?: number;
}

const DAY = 86_400_000;
const TWO_YEARS = 730 * DAY;

/** Reads a CSV file and turns it into seed leads (see seedLeadsFromCsv). */
export async function loadSeedFile(file: string, options: SeedOptions, now: number): Promise<SeedLead[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`Cannot read seed file ${file}: ${(err as Error).message}`);
  }
  return seedLeadsFromCsv(text, options, now, file);
}

/**
 * One lead per CSV row. Rows are put in --order order and their creation dates spread evenly over
 * the two years before `now`; the newest --open-fraction stay open, the rest are closed with their
 * label as outcome some days after they were created (never after `now`).
 */
export function seedLeadsFromCsv(text: string, options: SeedOptions, now: number, source = 'seed CSV'): SeedLead[] {
  const openFraction = options.openFraction ?? 0.2;
  if (!(openFraction >= 0 && openFraction <= 1)) {
    throw new InputError(`--open-fraction must be between 0 and 1, got ${options.openFraction}`);
  }
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: true,
      delimiter: options.sep ?? sniffDelimiter(text),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      record_delimiter: recordDelimiters(text),
    }) as Record<string, string>[];
  } catch (err) {
    throw new InputError(`${source} could not be parsed as CSV: ${(err as Error).message}. Check --sep.`);
  }
  if (rows.length === 0) throw new InputError(`${source} has no data rows`);
  const columns = Object.keys(rows[0]);
  for (const [flag, column] of [['--label', options.label], ['--order', options.order], ['--id', options.id]] as const) {
    if (column !== undefined && !columns.includes(column)) {
      throw new InputError(`${source} has no column "${column}" (${flag}); its columns are: ${columns.join(', ')}. Check --sep if that list looks like one column.`);
    }
  }
  const won = wonRows(rows, options.label, options.positive, source);
  const ordered = options.order ? sortRows(rows, options.order) : rows.map((row, i) => ({ row, line: i + 1 }));
  const seenIds = new Map<string, number>();
  const n = ordered.length;
  const openFrom = n - Math.round(n * openFraction);
  const start = now - TWO_YEARS;
  return ordered.map(({ row, line }, index) => {
    const externalId = options.id ? row[options.id] : String(line);
    const firstLine = seenIds.get(externalId);
    if (firstLine !== undefined) {
      throw new InputError(`${source}: id "${externalId}" in column "${options.id}" appears on data rows ${firstLine} and ${line}; --id must be unique`);
    }
    seenIds.set(externalId, line);
    const values: Record<string, string> = {};
    for (const column of columns) if (column !== options.label) values[column] = row[column] ?? '';
    // Whole seconds, as Salesforce keeps datetimes: up, so the first lead stays inside the two years.
    const createdAt = Math.ceil((start + Math.floor((index * (TWO_YEARS - DAY)) / n)) / 1000) * 1000;
    const open = index >= openFrom;
    return {
      index,
      externalId,
      values,
      createdAt,
      outcome: won[line - 1] ? 'won' : 'lost',
      open,
      closedAt: open ? null : Math.floor(Math.min(createdAt + closeDelay(index), now - 60_000) / 1000) * 1000,
    };
  });
}

/**
 * Per row in file order, whether its label means won. A given --positive is matched exactly, as
 * it always was; without one the label is read by readOutcome, the reader `evaluate` and `train`
 * use, with their default placeholders, so a yes/no label needs no --positive here either and any
 * other label is refused in the same words ("Cannot tell which value means converted … Pass
 * --positive VALUE"). Rows readOutcome leaves unlabelled ("unknown", empty) are lost, as every
 * value other than --positive is.
 */
function wonRows(rows: readonly Record<string, string>[], label: string, given: string | undefined, source: string): ArrayLike<number | boolean> {
  if (given === undefined) {
    const cells = [rows.map((row) => row[label] ?? null)];
    const table = { source, columns: [label], rowCount: rows.length, cells };
    return readOutcome(table, label, datasetOptionsSchema.parse({}).placeholders).y;
  }
  const positive = given.trim();
  const won = rows.map((row) => row[label] === positive);
  if (!won.includes(true)) {
    const seen = [...new Set(rows.slice(0, 1000).map((row) => row[label]))].slice(0, 10);
    throw new InputError(`${source}: no row has "${positive}" in column "${label}" (--positive); values seen: ${seen.join(', ')}`);
  }
  return won;
}

/** 1 to 45 days, spread by a cheap hash of the position so the seed stays reproducible. */
function closeDelay(index: number): number {
  const spread = ((index * 2654435761) >>> 0) / 2 ** 32;
  return DAY + Math.floor(spread * 44 * DAY);
}

function sortRows(rows: Record<string, string>[], column: string): Array<{ row: Record<string, string>; line: number }> {
  const numeric = rows.every((row) => row[column] !== '' && Number.isFinite(Number(row[column])));
  const dated = !numeric && rows.every((row) => !Number.isNaN(Date.parse(row[column])));
  const key = (value: string): number | string => (numeric ? Number(value) : dated ? Date.parse(value) : value);
  return rows
    .map((row, i) => ({ row, line: i + 1, key: key(row[column]) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.line - b.line))
    .map(({ row, line }) => ({ row, line }));
}

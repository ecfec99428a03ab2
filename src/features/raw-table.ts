import { InputError } from '../domain/errors.js';
import { looseColumnName } from './custom-field-keys.js';
import type { FileStyle } from './file-style.js';

/**
 * Cells exactly as they arrived (a CSV file or the store's records), column-major so type
 * inference and normalisation walk one column at a time. null = the cell was absent.
 */
export interface RawTable {
  /** Where the rows came from, for error messages: a file path or "records". */
  source: string;
  columns: string[];
  rowCount: number;
  cells: (string | null)[][];
  /** The separator a CSV file was read with (given or sniffed), so output can match it; absent for records. */
  delimiter?: string;
  /** A CSV file's BOM and line ending, so output can match them; absent for records. */
  style?: FileStyle;
}

/** A lead record as the store hands it over: field -> text (or null when empty). */
export type LeadRow = Record<string, string | number | boolean | null | undefined>;

/**
 * Builds a table from records. Columns are the union of all keys in first-seen order, so a
 * field that only some records carry is still kept (missing elsewhere).
 */
export function tableFromRecords(records: readonly LeadRow[], source = 'records'): RawTable {
  const index = new Map<string, number>();
  const cells: (string | null)[][] = [];
  records.forEach((record, row) => {
    for (const [key, value] of Object.entries(record)) {
      let col = index.get(key);
      if (col === undefined) {
        col = cells.length;
        index.set(key, col);
        cells.push(new Array<string | null>(records.length).fill(null));
      }
      cells[col][row] = value === null || value === undefined ? null : String(value);
    }
  });
  return { source, columns: [...index.keys()], rowCount: records.length, cells };
}

/** Refuses a table with a header and no rows, in the words evaluate uses for one. */
export function requireDataRows(table: RawTable): void {
  if (table.rowCount > 0) return;
  throw new InputError(`${table.source}: the file has no data rows, only the header. Export the leads again with their rows, or check that this is the right file.`);
}

/** Throws an InputError naming the columns that do exist when a required one is absent. */
export function requireColumns(table: RawTable, required: Array<{ role: string; column: string | undefined }>): void {
  for (const { role, column } of required) {
    if (column === undefined || table.columns.includes(column)) continue;
    throw new InputError(
      `${table.source}: the ${role} column "${column}" does not exist${spellingHint(column, table.columns)}. Columns are: ${table.columns.join(', ')}`,
    );
  }
}


/** Names an excluded column missing from the file as the other column errors do: file first. */
export function requireExcludedColumns(table: RawTable, exclude: readonly string[]): void {
  const missing = exclude.find((column) => !table.columns.includes(column));
  if (missing === undefined) return;
  throw new InputError(
    `${table.source}: cannot exclude "${missing}": there is no such column (--exclude or config features.exclude). Columns are: ${table.columns.join(', ')}`,
  );
}

/**
 * `--label Y` for a column "y", `--order "created date"` for "Created Date": names the one column
 * that differs only in case, separators or "__c" (the loose match config keys get), as a hint. It
 * is not taken in its place: a flag that names the outcome or the time order should be what the
 * admin meant, not a guess.
 */
function spellingHint(column: string, columns: readonly string[]): string {
  const loose = looseColumnName(column);
  const alike = columns.filter((c) => looseColumnName(c) === loose);
  return alike.length === 1 ? ` (did you mean "${alike[0]}"? column names must match exactly)` : '';
}

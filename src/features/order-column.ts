import { InputError } from '../domain/errors.js';
import { inferDateOrder, parseDate } from './parse-date.js';
import { parseNumber } from './parse-number.js';
import type { RawTable } from './raw-table.js';

/**
 * Why an --order column read as text cannot place the rows in time. When most of its values are
 * dates (or numbers), the column is meant as one and a few cells spoil it ("March 5th", blanks):
 * the message names those, as for a column with blanks only, so they can be fixed in the file.
 */
export function orderColumnError(table: RawTable, order: string, rows: readonly number[], placeholders: readonly string[]): InputError {
  return unreadableOrderCells(table, order, rows, placeholders) ?? textError(order);
}

function textError(order: string): InputError {
  return new InputError(`--order column "${order}" holds text, not dates or numbers; choose a date or number column`);
}

/**
 * The same error for an --order column read as dates (or numbers) with a few cells that are not
 * (see inferType's mostlyDates): undefined when its only gaps on `rows` are empty cells, which
 * the time split names itself.
 */
export function unreadableOrderCells(table: RawTable, order: string, rows: readonly number[], placeholders: readonly string[]): InputError | undefined {
  const missing = new Set(placeholders.map((p) => p.trim().toLowerCase()));
  const cells = table.cells[table.columns.indexOf(order)];
  const text = (r: number) => {
    const t = cells[r]?.trim() ?? '';
    return t === '' || missing.has(t.toLowerCase()) ? null : t;
  };
  const present = new Set<string>();
  for (const r of rows) {
    const t = text(r);
    if (t !== null) present.add(t);
  }
  const dateOrder = inferDateOrder(present);
  // Judged as the column is read: a date column's "42" is missing there, so it is unreadable here too.
  const asDate = (t: string) => !Number.isNaN(parseDate(t, dateOrder));
  const asNumber = (t: string) => !Number.isNaN(parseNumber(t));
  const values = [...present];
  const kind = values.filter(asDate).length >= values.filter(asNumber).length ? 'date' : 'number';
  const readable = new Map(values.map((t) => [t, kind === 'date' ? asDate(t) : asNumber(t)]));
  let empty = 0;
  let firstEmpty = -1;
  let unreadable = 0;
  let firstUnreadable = -1;
  for (const r of rows) {
    const t = text(r);
    if (t === null) {
      if (empty++ === 0) firstEmpty = r;
    } else if (!readable.get(t)) {
      if (unreadable++ === 0) firstUnreadable = r;
    }
  }
  const dated = rows.length - empty - unreadable;
  if (dated <= unreadable) return textError(order);
  if (unreadable === 0) return undefined;
  const parts = [`${unreadable.toLocaleString('en-US')} not readable as a ${kind} (first: "${text(firstUnreadable)}" on data row ${firstUnreadable + 1})`];
  if (empty > 0) parts.push(`${empty.toLocaleString('en-US')} empty (first: data row ${firstEmpty + 1})`);
  return new InputError(
    `--order column "${order}" holds ${kind}s, but ${(unreadable + empty).toLocaleString('en-US')} of the ${rows.length.toLocaleString('en-US')} rows with an outcome have none: ` +
      `${parts.join(', ')}. Every row needs a ${kind} to be placed in time: fix those cells, or choose another column.`,
  );
}

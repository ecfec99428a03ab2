import { InputError } from '../domain/errors.js';
import type { RawTable } from '../features/raw-table.js';

/**
 * The model's input columns a file to be scored lacks. Scoring still works (each scores as
 * missing on every row, see buildDataset), but the probabilities drift from what the model
 * would give the same leads with the column, so the caller has to say so.
 */
export function absentInputColumns(inputColumns: readonly string[], table: RawTable): string[] {
  const present = new Set(table.columns);
  return inputColumns.filter((column) => !present.has(column));
}

/**
 * Refuses, whatever --strict says, a file that lacks all of the model's input columns or most
 * of them (more than half). Such a file is an export for another model
 * (a bank model given CRM leads scored every row 0.1114, Cold, with the same reasons), and
 * scoring it "as missing" would hand reps confident nonsense; a few absent columns stay a warning.
 */
export function refuseForeignFile(inputColumns: readonly string[], table: RawTable, file: string): void {
  const absent = absentInputColumns(inputColumns, table);
  if (inputColumns.length === 0 || absent.length * 2 <= inputColumns.length) return;
  const missing = new Set(absent);
  const present = inputColumns.filter((c) => !missing.has(c));
  const list = (columns: readonly string[]) => (columns.length ? columns.map((c) => `"${c}"`).join(', ') : 'none');
  throw new InputError(
    `${file} looks like it is for another model: it has ${present.length} of the model's ${inputColumns.length} input columns ` +
      `(present: ${list(present)}; missing: ${list(absent)}). Score it with the model trained on this kind of export, ` +
      'or export the missing columns too.',
  );
}

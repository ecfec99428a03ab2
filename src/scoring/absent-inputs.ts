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

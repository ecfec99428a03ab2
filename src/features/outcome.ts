import { InputError } from '../domain/errors.js';
import type { RawTable } from './raw-table.js';

/** Label values read as "converted" when --positive is not given. */
const POSITIVE_WORDS = ['yes', 'true', '1', 'won', 'closed won', 'converted', 'y', 't', 'success'];

export interface Outcome {
  /** 1 converted, 0 not, per table row (0 also where unlabelled; see `labelled`). */
  y: Uint8Array;
  /** 1 where the row has an outcome; rows without one cannot train or test. */
  labelled: Uint8Array;
  /** The label value that counts as converted, as spelled in the file. */
  positive: string;
  unlabelledRows: number;
}

/**
 * Reads the outcome column. Comparison is trimmed and case-insensitive ("Yes" = "yes");
 * empty cells and placeholders ("unknown", "N/A") mean the outcome is not known yet.
 */
export function readOutcome(table: RawTable, label: string, placeholders: readonly string[], positive?: string): Outcome {
  const index = table.columns.indexOf(label);
  if (index === -1) {
    throw new InputError(`${table.source}: the label column "${label}" does not exist. Columns are: ${table.columns.join(', ')}`);
  }
  // Said before the label values are looked at: with no rows there are none to tell apart.
  if (table.rowCount === 0) {
    throw new InputError(`${table.source}: the file has no data rows, only the header. Export the leads again with their rows, or check that this is the right file.`);
  }
  const missing = new Set(placeholders.map((p) => p.trim().toLowerCase()));
  const cells = table.cells[index];
  const folded = cells.map((c) => (c === null ? null : c.trim().toLowerCase()));
  const spelled = new Map<string, string>();
  folded.forEach((f, r) => {
    if (f !== null && !missing.has(f) && !spelled.has(f)) spelled.set(f, cells[r]!.trim());
  });
  const values = [...spelled.keys()];
  const target = positive?.trim().toLowerCase() ?? POSITIVE_WORDS.find((w) => spelled.has(w));
  if (target === undefined || !spelled.has(target)) {
    const shown = values.slice(0, 10).map((v) => `"${spelled.get(v)}"`).join(', ') + (values.length > 10 ? ', …' : '');
    const what = positive === undefined ? 'Cannot tell which value means converted' : `No row has the value "${positive}"`;
    throw new InputError(`${table.source}: ${what} in the label column "${label}" (values: ${shown || 'none'}). Pass --positive VALUE.`);
  }
  const y = new Uint8Array(table.rowCount);
  const labelled = new Uint8Array(table.rowCount);
  let unlabelledRows = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const f = folded[r];
    if (f === null || missing.has(f)) {
      unlabelledRows++;
      continue;
    }
    labelled[r] = 1;
    y[r] = f === target ? 1 : 0;
  }
  return { y, labelled, positive: spelled.get(target)!, unlabelledRows };
}

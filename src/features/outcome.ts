import { InputError } from '../domain/errors.js';
import { requireColumns, requireDataRows, type RawTable } from './raw-table.js';
import { NEGATIVE_WORDS, POSITIVE_WORDS, positiveValuesAsked } from './outcome-words.js';

export interface Outcome {
  /** 1 converted, 0 not, per table row (0 also where unlabelled; see `labelled`). */
  y: Uint8Array;
  /** 1 where the row has an outcome; rows without one cannot train or test. */
  labelled: Uint8Array;
  /** The (first) label value that counts as converted, as spelled in the file. */
  positive: string;
  /** Every label spelling (trimmed, as in the file) read as converted, and as not converted. */
  positiveValues: string[];
  negativeValues: string[];
  unlabelledRows: number;
}

/**
 * Reads the outcome column. Comparison is trimmed and case-insensitive ("Yes" = "yes");
 * empty cells and placeholders ("unknown", "N/A") mean the outcome is not known yet.
 * Without `positive`, a column whose values all come from the yes/no vocabulary counts every
 * converted word ("Yes", "TRUE", "1") as converted: exports mix spellings, and reading only
 * one of them as converted would silently turn real conversions into non-conversions.
 * `positive` may list several values (repeated, or comma-separated; see positiveValuesAsked).
 */
export function readOutcome(
  table: RawTable,
  label: string,
  placeholders: readonly string[],
  positive?: string | readonly string[],
): Outcome {
  requireColumns(table, [{ role: 'label', column: label }]);
  const index = table.columns.indexOf(label);
  // Said before the label values are looked at: with no rows there are none to tell apart.
  requireDataRows(table);
  const missing = new Set(placeholders.map((p) => p.trim().toLowerCase()));
  const cells = table.cells[index];
  const folded = cells.map((c) => (c === null ? null : c.trim().toLowerCase()));
  // Folded value -> its spellings in the file (trimmed), in first-seen order.
  const spelled = new Map<string, string[]>();
  folded.forEach((f, r) => {
    if (f === null || missing.has(f)) return;
    const spelling = cells[r]!.trim();
    const forms = spelled.get(f);
    if (!forms) spelled.set(f, [spelling]);
    else if (!forms.includes(spelling)) forms.push(spelling);
  });
  const where = `${table.source}: `;
  const shown = () => {
    const values = [...spelled.values()].flat();
    return values.slice(0, 10).map((v) => `"${v}"`).join(', ') + (values.length > 10 ? ', …' : '') || 'none';
  };
  const allIn = (words: readonly string[]) => spelled.size > 0 && [...spelled.keys()].every((v) => words.includes(v));
  const nothingToLearn = (what: string) =>
    new InputError(
      `${where}${what} in the label column "${label}" (values: ${shown()}), so there is nothing to tell converting leads apart by. ` +
        'Export a history that holds both converted and not converted leads, or check that --label names the outcome column.',
    );

  let targets: Set<string>;
  if (positive !== undefined && (typeof positive === 'string' || positive.length > 0)) {
    const asked = positiveValuesAsked(positive, new Set(spelled.keys()));
    if (asked.absent.length > 0) {
      if (allIn(NEGATIVE_WORDS)) throw nothingToLearn('No lead converted: every outcome is a "not converted" value');
      const list = asked.absent.map((v) => `"${v}"`).join(', ');
      throw new InputError(`${where}No row has the value ${list} in the label column "${label}" (values: ${shown()}). Pass --positive VALUE.`);
    }
    targets = asked.found;
  } else {
    const vocabulary = [...POSITIVE_WORDS, ...NEGATIVE_WORDS];
    if (!allIn(vocabulary)) {
      throw new InputError(`${where}Cannot tell which value means converted in the label column "${label}" (values: ${shown()}). Pass --positive VALUE.`);
    }
    targets = new Set([...spelled.keys()].filter((v) => POSITIVE_WORDS.includes(v)));
    if (targets.size === 0) throw nothingToLearn('No lead converted: every outcome is a "not converted" value');
  }

  const y = new Uint8Array(table.rowCount);
  const labelled = new Uint8Array(table.rowCount);
  let unlabelledRows = 0;
  let converted = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const f = folded[r];
    if (f === null || missing.has(f)) {
      unlabelledRows++;
      continue;
    }
    labelled[r] = 1;
    y[r] = targets.has(f) ? 1 : 0;
    converted += y[r];
  }
  if (converted === table.rowCount - unlabelledRows) throw nothingToLearn('Every lead converted: no outcome is a "not converted" value');
  const positiveValues = [...spelled].filter(([f]) => targets.has(f)).flatMap(([, forms]) => forms);
  const negativeValues = [...spelled].filter(([f]) => !targets.has(f)).flatMap(([, forms]) => forms);
  return { y, labelled, positive: positiveValues[0], positiveValues, negativeValues, unlabelledRows };
}

import { loadConfig } from '../config/load.js';
import { counted } from '../domain/counted.js';
import { newestFirstDateColumn } from '../features/file-order.js';
import type { PreparedTraining } from '../features/prepare-training.js';
import type { NormalisationReport } from '../features/types.js';
import { normalisationTable } from './normalisation-table.js';
import { unreadableWarnings } from './unreadable-values.js';

/**
 * What `evaluate` and `train` tell about how they read the file, besides the figures: which
 * label values count as converted, rows left out for having no outcome, a file that looks
 * split backwards, and what normalisation changed. Said on stderr, in the tables and (as
 * extra keys) in evaluate's --json object.
 */
export interface TrainingNotes {
  label: string;
  positiveValues: string[];
  negativeValues: string[];
  unlabelledRows: number;
  /**
   * `features` keys the admin configured that name no column of the input ("sentinels.PDAYS"),
   * with the input's path; keys from config/default.json are not listed (its `pdays` sentinel
   * is for the bank data, and would be news on every other file).
   */
  unmatchedConfigKeys: string[];
  input?: string;
  /** Without --order: a date column that runs newest first down the file. */
  newestFirstColumn?: string;
  normalisation: NormalisationReport;
}

export function trainingNotes(prepared: PreparedTraining, flags: { label: string; order?: string; input?: string }): TrainingNotes {
  // The split's rows are the labelled ones; the file's direction is judged in file order.
  const labelled = [...prepared.trainRows, ...prepared.testRows].sort((a, b) => a - b);
  return {
    label: flags.label,
    positiveValues: prepared.positiveValues,
    negativeValues: prepared.negativeValues,
    unlabelledRows: prepared.unlabelledRows,
    unmatchedConfigKeys: prepared.unmatchedConfigKeys.filter((key) => !isDefaultKey(key)),
    input: flags.input,
    newestFirstColumn: flags.order ? undefined : newestFirstDateColumn(prepared.dataset, labelled),
    normalisation: prepared.dataset.report,
  };
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

/** The caution for a file split backwards; also atop evaluate's tables. */
export function orderCaution(notes: TrainingNotes): string | undefined {
  if (!notes.newestFirstColumn) return undefined;
  const column = notes.newestFirstColumn;
  return (
    `no --order was given, so leads are placed in time by file order (oldest first), but "${column}" runs newest first down the file: ` +
    `the "newest" test leads are its oldest. Pass --order "${column}" to split by that date.`
  );
}

/** Lines for stderr, each a whole "leadlift: …" line. */
export function noteLines(notes: TrainingNotes): string[] {
  const lines: string[] = [];
  const caution = orderCaution(notes);
  if (caution) lines.push(`leadlift: warning: ${caution}`);
  // Two values ("yes"/"no") need no word; more mean spellings were merged, which is worth checking.
  if (notes.positiveValues.length + notes.negativeValues.length > 2) {
    lines.push(
      `leadlift: note: in the label column "${notes.label}", ${quoted(notes.positiveValues)} count as converted and ` +
        `${notes.negativeValues.length ? quoted(notes.negativeValues) : 'no value'} as not converted (--positive chooses otherwise).`,
    );
  }
  if (notes.unlabelledRows > 0) lines.push(`leadlift: note: ${unlabelledText(notes.unlabelledRows)} (empty or a placeholder in "${notes.label}").`);
  for (const w of unreadableWarnings(notes.normalisation)) lines.push(`leadlift: warning: ${w}`);
  for (const key of notes.unmatchedConfigKeys) {
    lines.push(`leadlift: warning: config features.${key} names no column of ${notes.input ?? 'the input'}, so it does nothing.`);
  }
  if (notes.unmatchedConfigKeys.length > 0) {
    // Said once however many keys missed: a wide file's column list would flood the terminal.
    lines.push(
      'leadlift: note: config names are matched ignoring case, spaces, "_", "." and "__c"; a name that several columns match that way, or that reaches a column an earlier key already names, matches none. ' +
        `Columns are: ${notes.normalisation.columns.map((c) => c.column).join(', ')}`,
    );
  }
  return lines;
}

/** The shipped config/default.json sets this key (its values as shipped; an admin's file may repeat it). */
let shippedFeatures: ReturnType<typeof loadConfig>['features'] | undefined;
function isDefaultKey(path: string): boolean {
  const defaults = (shippedFeatures ??= loadConfig({ env: {} }).features);
  const list = /^(filledAfterOutcome|counts) "(.*)"$/.exec(path);
  if (list) return defaults[list[1] as 'filledAfterOutcome' | 'counts'].includes(list[2]);
  const [section, ...rest] = path.split('.');
  const record = defaults[section as 'sentinels' | 'labels' | 'valueLabels' | 'units'] as Record<string, unknown> | undefined;
  return record !== undefined && Object.hasOwn(record, rest.join('.'));
}

export function unlabelledText(rows: number): string {
  return `${counted(rows, 'row')} with no outcome left out`;
}

/** Rows for evaluate's summary table (rows with no outcome are said on its Leads line). */
export function summaryRows(notes: TrainingNotes): string[][] {
  return [['Converted means', `${quoted(notes.positiveValues)}${notes.negativeValues.length ? `; not converted: ${quoted(notes.negativeValues)}` : ''}`]];
}

/** The "What was normalised" section, for evaluate's and train's table output. */
export function normalisationSection(notes: TrainingNotes): string {
  return `What was normalised\n${normalisationTable(notes.normalisation)}`;
}

/** Keys evaluate --json adds to the contract object (never in place of one). */
export function notesJson(notes: TrainingNotes): Record<string, unknown> {
  return {
    positiveValues: notes.positiveValues,
    negativeValues: notes.negativeValues,
    unlabelledRows: notes.unlabelledRows,
    normalisation: notes.normalisation,
  };
}

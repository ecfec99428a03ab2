import { ConfigError } from '../domain/errors.js';
import type { DatasetOptions } from './options.js';
import { parseBoolean } from './parse-boolean.js';
import { type DateOrder, inferDateOrder, parseDate } from './parse-date.js';
import { type DecimalMark, fileDecimalMark, likeliestDecimalMark, parseFormattedNumber, parseNumber } from './parse-number.js';
import { inferType } from './infer-type.js';
import type { RawTable } from './raw-table.js';
import type { ColumnType, Dataset, NormalisationReport, TypedColumn } from './types.js';

/** A column's type as training saw it, so new leads are read the same way at scoring time. */
export interface ColumnSchemaEntry {
  type: ColumnType;
  dateOrder?: DateOrder;
  /** Numeric columns written with decimal commas ("1.200,50"); absent: "." (see decimalMarkDecision). */
  decimalMark?: DecimalMark;
}
export type ColumnSchema = Record<string, ColumnSchemaEntry>;

type ColumnReport = NormalisationReport['columns'][number];

/**
 * Raw cells -> typed, normalised columns plus a report of every change. Placeholders ("unknown",
 * "N/A", "") and per-column sentinels (pdays=999) become missing; categoricals are trimmed and
 * case-folded. Types come from `options.types`, else `schema` (a trained model's), else inference.
 * With a schema, its columns absent from the table are added as all-missing so a scoring file
 * that lacks a field still scores.
 */
export function buildDataset(table: RawTable, options: DatasetOptions, schema?: ColumnSchema): Dataset {
  for (const key of Object.keys(options.types)) {
    if (!table.columns.includes(key)) {
      throw new ConfigError(`features.types.${key}`, `no column "${key}" in ${table.source}; columns are: ${table.columns.join(', ')}`);
    }
  }
  const placeholders = new Set(options.placeholders.map((p) => p.trim().toLowerCase()));
  const columns: TypedColumn[] = [];
  const reports: ColumnReport[] = [];
  const names = [...table.columns];
  for (const name of Object.keys(schema ?? {})) if (!names.includes(name)) names.push(name);
  // Worked out only when a column reads either way ("1,200"): it walks every column.
  let fileMark: { mark?: DecimalMark } | undefined;
  const markOfFile = () => (fileMark ??= { mark: fileDecimalMark(table.cells.map((c) => presentValues(c, placeholders))) }).mark;

  for (const name of names) {
    const index = table.columns.indexOf(name);
    const cells = index === -1 ? new Array<string | null>(table.rowCount).fill(null) : table.cells[index];
    const override = options.types[name];
    const saved = schema?.[name];
    const fixed: ColumnSchemaEntry | undefined = override ? { type: override } : saved;
    // New leads are read with the training file's mark, so "1.200" means what it meant there.
    const savedMark = saved?.type === 'numeric' && fixed?.type === 'numeric' ? (saved.decimalMark ?? '.') : undefined;
    const { column, report } = normaliseColumn(name, cells, placeholders, options.sentinels[name] ?? [], fixed, { saved: savedMark, ofFile: markOfFile });
    if (override) report.typeSource = 'config';
    columns.push(column);
    reports.push(report);
  }
  return { rowCount: table.rowCount, columns, report: { columns: reports } };
}

function normaliseColumn(
  name: string,
  cells: readonly (string | null)[],
  placeholders: ReadonlySet<string>,
  sentinels: ReadonlyArray<number | string>,
  fixed: ColumnSchemaEntry | undefined,
  mark: { saved?: DecimalMark; ofFile: () => DecimalMark | undefined },
): { column: TypedColumn; report: ColumnReport } {
  const n = cells.length;
  const placeholdersAsMissing: Record<string, number> = {};
  const count = (key: string) => (placeholdersAsMissing[key] = (placeholdersAsMissing[key] ?? 0) + 1);
  const sentinelTexts = new Set(sentinels.map(String));
  const sentinelNumbers = new Set(sentinels.filter((s): s is number => typeof s === 'number'));

  // Pass 1: trimmed text, or null where the cell means "no value". Lead columns repeat a few
  // spellings many times, so each distinct cell is classified once.
  const text = new Array<string | null>(n);
  const present = new Set<string>();
  const seen = new Map<string, { text: string | null; missingAs?: string; sentinel?: boolean }>();
  const sentinelKeys = new Set<string>();
  for (let r = 0; r < n; r++) {
    const cell = cells[r];
    if (cell === null) {
      if (placeholders.has('')) count('');
      text[r] = null; // absent field: missing even when "" is not a configured placeholder
      continue;
    }
    let verdict = seen.get(cell);
    if (!verdict) {
      const trimmed = cell.trim();
      const folded = trimmed.toLowerCase();
      if (placeholders.has(folded)) verdict = { text: null, missingAs: folded };
      else if (sentinelTexts.has(trimmed)) verdict = { text: null, missingAs: trimmed, sentinel: true };
      else if (sentinelNumbers.size > 0 && sentinelNumbers.has(parseNumber(trimmed))) verdict = { text: null, missingAs: String(parseNumber(trimmed)), sentinel: true };
      else verdict = { text: trimmed };
      seen.set(cell, verdict);
    }
    text[r] = verdict.text;
    if (verdict.sentinel) sentinelKeys.add(verdict.missingAs!);
    if (verdict.text === null) count(verdict.missingAs!);
    else present.add(verdict.text);
  }

  // Inference decides the date order and decimal mark on its way; they are kept, not decided again.
  const reading = fixed ? undefined : inferType([...present], mark.ofFile);
  const type = fixed?.type ?? reading!.type;
  const report: ColumnReport = {
    column: name,
    type,
    typeSource: fixed ? 'config' : 'inferred',
    missing: 0,
    placeholdersAsMissing,
    caseFolded: 0,
    pooledCategories: [],
  };
  if (sentinelKeys.size > 0) report.sentinels = [...sentinelKeys];

  if (type === 'categorical') {
    const { values, display, caseFolded } = foldCategories(cells, text);
    report.caseFolded = caseFolded;
    report.missing = values.reduce((m, v) => m + (v === null ? 1 : 0), 0);
    return { column: { name, type, values, display }, report };
  }

  const dateOrder = type === 'date' ? (fixed?.dateOrder ?? (reading?.type === 'date' ? reading.dateOrder : inferDateOrder(present))) : undefined;
  const decimal =
    type !== 'numeric'
      ? undefined
      : mark.saved
        ? { mark: mark.saved, by: 'training' as const }
        : reading?.type === 'numeric'
          ? reading.decimal
          : likeliestDecimalMark(present, mark.ofFile);
  const decimalMark = decimal?.mark;
  if (decimal) {
    const example = firstFormatted(present);
    report.decimalMark = example === undefined ? { ...decimal } : { ...decimal, example };
  }
  const parse =
    type === 'numeric'
      ? (t: string) => parseFormattedNumber(t, decimalMark!)
      : type === 'boolean'
        ? (t: string) => parseBoolean(t.toLowerCase())
        : (t: string) => parseDate(t, dateOrder);
  const parsed = new Map<string, number>();
  for (const t of present) parsed.set(t, parse(t));
  const values = new Float64Array(n);
  let unreadable = 0;
  let example: string | undefined;
  for (let r = 0; r < n; r++) {
    const t = text[r];
    const v = t === null ? Number.NaN : parsed.get(t)!;
    // A value the type cannot read (a forced type, a date column's odd cell, new leads) is missing, and reported.
    if (t !== null && Number.isNaN(v)) {
      unreadable++;
      example ??= t;
    }
    if (Number.isNaN(v)) report.missing++;
    values[r] = v;
  }
  if (unreadable > 0) {
    report.unreadable = { count: unreadable, example: example! };
    // The same count, as the key evaluate --json has always listed it under (the table leaves it out).
    placeholdersAsMissing[`(not ${type === 'numeric' ? 'a number' : type === 'boolean' ? 'yes/no' : 'a date'})`] = unreadable;
  }
  const column: TypedColumn =
    type === 'date'
      ? { name, type, values, dateOrder }
      : type === 'numeric' && decimalMark === ','
        ? { name, type, values, decimalMark }
        : { name, type: type as 'numeric' | 'boolean', values };
  return { column, report };
}

/**
 * What a decimal-mark decision is about: the first value the two marks read differently
 * ("1.200"), else the first that is not a plain number ("$5").
 */
function firstFormatted(present: Iterable<string>): string | undefined {
  let formatted: string | undefined;
  for (const t of present) {
    if (!Number.isNaN(parseNumber(t))) continue;
    const dot = parseFormattedNumber(t, '.');
    const comma = parseFormattedNumber(t, ',');
    if (dot !== comma && !(Number.isNaN(dot) && Number.isNaN(comma))) return t;
    formatted ??= t;
  }
  return formatted;
}

/** A column's distinct trimmed values that are not placeholders. */
function presentValues(cells: readonly (string | null)[], placeholders: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const cell of cells) {
    if (cell === null) continue;
    const t = cell.trim();
    if (!placeholders.has(t.toLowerCase())) out.add(t);
  }
  return out;
}

/** A category's spelling with inner white space collapsed (the text is already trimmed). */
function spelledCategory(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ');
}

/** The key a category is stored under: "Google " and "google" are one source. */
export function foldCategory(text: string): string {
  return spelledCategory(text.trim()).toLowerCase();
}

/**
 * Trims, collapses inner spaces and lower-cases; remembers the most frequent original spelling,
 * and counts the cells written otherwise (`caseFolded`).
 */
function foldCategories(
  cells: readonly (string | null)[],
  text: readonly (string | null)[],
): { values: (string | null)[]; display: Record<string, string>; caseFolded: number } {
  const values = new Array<string | null>(text.length);
  const spellings = new Map<string, Map<string, number>>();
  const foldedOf = new Map<string, { spelled: string; folded: string }>();
  let caseFolded = 0;
  for (let r = 0; r < text.length; r++) {
    const t = text[r];
    if (t === null) {
      values[r] = null;
      continue;
    }
    let forms = foldedOf.get(t);
    if (!forms) {
      const spelled = spelledCategory(t);
      forms = { spelled, folded: spelled.toLowerCase() };
      foldedOf.set(t, forms);
    }
    const { spelled, folded } = forms;
    values[r] = folded;
    let counts = spellings.get(folded);
    if (!counts) spellings.set(folded, (counts = new Map()));
    counts.set(spelled, (counts.get(spelled) ?? 0) + 1);
  }
  const display: Record<string, string> = {};
  for (const [folded, counts] of spellings) {
    let best = '';
    let bestCount = -1;
    for (const [form, c] of counts) if (c > bestCount) [best, bestCount] = [form, c];
    display[folded] = best;
  }
  // What people see changed: a cell written unlike the spelling its value is shown in. Cells
  // already in that spelling ("Referral" shown as "Referral") changed nothing, though stored folded.
  for (let r = 0; r < text.length; r++) if (values[r] !== null && cells[r] !== display[values[r]!]) caseFolded++;
  return { values, display, caseFolded };
}

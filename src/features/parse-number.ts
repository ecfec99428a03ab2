/** Plain decimal numbers as exports write them: "42", "-1.5", ".5", "1e-3". Not "0x1F", not "1,420". */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a plain cell holds, or NaN. "1,420" is not plain: see parseFormattedNumber. */
export function parseNumber(text: string): number {
  if (!NUMBER.test(text)) return Number.NaN;
  // "1e400" matches the pattern but is Infinity: treated as unreadable, since JSON cannot save it.
  const n = Number(text);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** The character between a number's whole part and its fraction: "1,200.50" uses ".", "1.200,50" ",". */
export type DecimalMark = '.' | ',';

const CURRENCY = '(?:[$€£¥]|usd|eur|gbp|jpy)';
const PREFIX = new RegExp(`^${CURRENCY}\\s*`, 'i');
const SUFFIX = new RegExp(`\\s*(?:${CURRENCY}|%)$`, 'i');
/** Group separators besides the other decimal mark: spaces (also no-break ones) and the Swiss apostrophe. */
const GROUP = "[ \\u00a0\\u202f']";
const BODY: Record<DecimalMark, RegExp> = {
  '.': new RegExp(`^(?:\\d{1,3}(,|${GROUP})\\d{3}(?:\\1\\d{3})*|\\d+)?(?:\\.\\d+)?$`),
  ',': new RegExp(`^(?:\\d{1,3}(\\.|${GROUP})\\d{3}(?:\\1\\d{3})*|\\d+)?(?:,\\d+)?$`),
};

/**
 * A number as spreadsheets and CRMs format it, read with the column's decimal mark: a currency
 * symbol or code before or after it ("$1,200", "1.200 €", "USD 5"), thousands separators, a
 * percent sign (dropped: "12%" reads 12), a sign before or after a currency prefix. Plain
 * numbers with "." decimals read as parseNumber reads them. NaN when the text is none of these.
 */
export function parseFormattedNumber(text: string, mark: DecimalMark): number {
  if (mark === '.') {
    const plain = parseNumber(text);
    if (!Number.isNaN(plain)) return plain;
  }
  let body = text.trim();
  let negative = false;
  let signed = false;
  const sign = () => {
    if (body.startsWith('-') || body.startsWith('+')) {
      if (signed) return false;
      signed = true;
      negative = body.startsWith('-');
      body = body.slice(1).trimStart();
    }
    return true;
  };
  sign();
  body = body.replace(PREFIX, '');
  if (!sign()) return Number.NaN;
  body = body.replace(SUFFIX, '');
  if (!/\d/.test(body) || !BODY[mark].test(body)) return Number.NaN;
  const other = mark === '.' ? /[, \u00a0\u202f']/g : /[. \u00a0\u202f']/g;
  const n = Number(body.replace(other, '').replace(',', '.'));
  if (!Number.isFinite(n)) return Number.NaN;
  return negative ? -n : n;
}

/** Why a column's decimal mark is what it is (see decimalMarkDecision). */
export type DecimalMarkReason = 'plain' | 'either' | 'values' | 'file' | 'default';

export interface DecimalMarkDecision {
  mark: DecimalMark;
  by: DecimalMarkReason;
}

/**
 * The decimal mark a column's values (trimmed, placeholders removed) are written with, and why,
 * or null when they are not all numbers. Decided for the whole column, never per cell, so one
 * amount always reads the same:
 * - every value plain ("42", "-1.5"): "." (as parseNumber reads them), by "plain";
 * - every value reading the same with either mark ("$5", "50%"): ".", by "either" (nothing was decided);
 * - else the one mark that reads every value ("1,200.50" and "1,5" each settle it), by "values";
 * - when both read every value but differently (only values like "1,200" or "1.200"): the mark
 *   `fileMark` gives (the one the file's other columns settle), by "file", else "." with "," as
 *   thousands, by "default".
 */
export function decimalMarkDecision(values: Iterable<string>, fileMark?: () => DecimalMark | undefined): DecimalMarkDecision | null {
  const list = [...values];
  if (list.every((v) => !Number.isNaN(parseNumber(v)))) return { mark: '.', by: 'plain' };
  const dot = list.every((v) => !Number.isNaN(parseFormattedNumber(v, '.')));
  const comma = list.every((v) => !Number.isNaN(parseFormattedNumber(v, ',')));
  if (dot && comma) {
    const same = list.every((v) => parseFormattedNumber(v, '.') === parseFormattedNumber(v, ','));
    if (same) return { mark: '.', by: 'either' };
    const ofFile = fileMark?.();
    return ofFile ? { mark: ofFile, by: 'file' } : { mark: '.', by: 'default' };
  }
  return dot ? { mark: '.', by: 'values' } : comma ? { mark: ',', by: 'values' } : null;
}

/** The mark alone (see decimalMarkDecision). */
export function decimalMarkOf(values: Iterable<string>, fileMark?: () => DecimalMark | undefined): DecimalMark | null {
  return decimalMarkDecision(values, fileMark)?.mark ?? null;
}

/**
 * The mark for a column forced numeric whatever it holds: decided as decimalMarkDecision decides
 * it when its values allow, else the one that reads the most of them, by "most-values".
 */
export function likeliestDecimalMark(values: Iterable<string>, fileMark?: () => DecimalMark | undefined): DecimalMarkDecision | { mark: DecimalMark; by: 'most-values' } {
  const list = [...values];
  const decided = decimalMarkDecision(list, fileMark);
  if (decided) return decided;
  const read = (mark: DecimalMark) => list.filter((v) => !Number.isNaN(parseFormattedNumber(v, mark))).length;
  return { mark: read(',') > read('.') ? ',' : '.', by: 'most-values' };
}

/**
 * The mark a file's columns settle without doubt (each read by one mark only), the most
 * common one; undefined when none does. Breaks ties for a column that reads either way.
 */
export function fileDecimalMark(columns: Iterable<Iterable<string>>): DecimalMark | undefined {
  let dot = 0;
  let comma = 0;
  for (const values of columns) {
    const list = [...values];
    if (list.length === 0) continue;
    const byDot = list.every((v) => !Number.isNaN(parseFormattedNumber(v, '.')));
    const byComma = list.every((v) => !Number.isNaN(parseFormattedNumber(v, ',')));
    if (byDot && !byComma) dot++;
    else if (byComma && !byDot) comma++;
  }
  if (dot === comma) return undefined;
  return dot > comma ? '.' : ',';
}

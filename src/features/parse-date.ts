/**
 * Dates as lead exports write them, to epoch milliseconds. Values without a zone are read as
 * UTC so hour and weekday features do not depend on the machine's time zone.
 *
 * Accepted: ISO 8601 ("2024-03-05", "2024-03-05T14:30:00Z", "2024-03-05 14:30"), "2024/03/05",
 * numeric day/month forms ("05/03/2024", "3/5/24", "05.03.2024", with an optional time and
 * am/pm), and named months ("5 Mar 2024", "05-Mar-2024", "March 5, 2024").
 */
export type DateOrder = 'mdy' | 'dmy';

const TIME = String.raw`(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(am|pm)?)?`;
const ISO = new RegExp(
  String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(z|[+-]\d{2}:?\d{2})?$`,
  'i',
);
const NUMERIC = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME}$`, 'i');
const DAY_NAMED = new RegExp(String.raw`^(\d{1,2})[ -]([a-z]{3,9})\.?[ -]?,?\s*(\d{4})${TIME}$`, 'i');
const NAMED_DAY = new RegExp(String.raw`^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})${TIME}$`, 'i');

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** Epoch ms of a trimmed date text, or NaN when it is not a date this module reads. */
export function parseDate(text: string, order: DateOrder = 'mdy'): number {
  let m = ISO.exec(text);
  if (m) {
    const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
    const t = utc(+m[1], +m[2], +m[3], m[4], m[5], m[6], undefined, ms);
    return Number.isNaN(t) ? t : t - offsetMinutes(m[8]) * 60_000;
  }
  m = NUMERIC.exec(text);
  if (m) {
    const [a, b] = [+m[1], +m[2]];
    const [month, day] = order === 'dmy' ? [b, a] : [a, b];
    return utc(fullYear(m[3]), month, day, m[4], m[5], m[6], m[7]);
  }
  m = DAY_NAMED.exec(text);
  if (m) return utc(+m[3], monthNumber(m[2]), +m[1], m[4], m[5], m[6], m[7]);
  m = NAMED_DAY.exec(text);
  if (m) return utc(+m[3], monthNumber(m[1]), +m[2], m[4], m[5], m[6], m[7]);
  return Number.NaN;
}

/**
 * Day-first or month-first for a column of numeric dates: day-first as soon as one value's
 * first part cannot be a month. Month-first otherwise (US CRMs' default export).
 */
export function inferDateOrder(texts: Iterable<string>): DateOrder {
  for (const text of texts) {
    const m = NUMERIC.exec(text);
    if (m && +m[1] > 12) return 'dmy';
  }
  return 'mdy';
}

function utc(
  year: number,
  month: number,
  day: number,
  hour?: string,
  minute?: string,
  second?: string,
  ampm?: string,
  ms = 0,
): number {
  let h = hour === undefined ? 0 : +hour;
  if (ampm) {
    if (h < 1 || h > 12) return Number.NaN;
    h = (h % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  }
  const min = minute === undefined ? 0 : +minute;
  const s = second === undefined ? 0 : +second;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || h > 23 || min > 59 || s > 59) {
    return Number.NaN;
  }
  return Date.UTC(year, month - 1, day, h, min, s, ms);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fullYear(text: string): number {
  const y = +text;
  if (text.length === 4) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

function monthNumber(name: string): number {
  // "Mar", "March" and "Sept" are months; "Marchy" is not. 0 fails the range check.
  const lower = name.toLowerCase();
  const i = MONTHS.findIndex((month) => month.startsWith(lower) || (lower === 'sept' && month === 'september'));
  return i + 1;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toLowerCase() === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/**
 * SOQL's relative date literals (TODAY, LAST_N_DAYS:30, ...) as half-open ranges [start, end) of
 * UTC milliseconds. Salesforce computes them in the querying user's time zone and locale; the
 * sandbox's org is UTC with an en_US locale, so days start at 00:00Z, weeks on Sunday, and the
 * fiscal year is the calendar year (Salesforce's default fiscal settings). As documented:
 * LAST_N_DAYS:n (and LAST_90_DAYS) include today, NEXT_N_DAYS:n starts tomorrow; the _N_ weeks,
 * months, quarters and years forms cover whole units before (LAST) or after (NEXT) the current
 * one; N_x_AGO:n is the one unit n units back. The hour forms follow the day forms: LAST_N_HOURS:n
 * is the current hour and the n before it, NEXT_N_HOURS:n the n hours after the current one.
 */

export interface DateRange {
  start: number;
  end: number;
}

type Unit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Literal -> [unit, first unit relative to the current one, number of units]. */
const FIXED: Record<string, [Unit, number, number]> = {
  YESTERDAY: ['day', -1, 1],
  TODAY: ['day', 0, 1],
  TOMORROW: ['day', 1, 1],
  LAST_WEEK: ['week', -1, 1],
  THIS_WEEK: ['week', 0, 1],
  NEXT_WEEK: ['week', 1, 1],
  LAST_MONTH: ['month', -1, 1],
  THIS_MONTH: ['month', 0, 1],
  NEXT_MONTH: ['month', 1, 1],
  LAST_90_DAYS: ['day', -90, 91],
  NEXT_90_DAYS: ['day', 1, 90],
  LAST_QUARTER: ['quarter', -1, 1],
  THIS_QUARTER: ['quarter', 0, 1],
  NEXT_QUARTER: ['quarter', 1, 1],
  LAST_YEAR: ['year', -1, 1],
  THIS_YEAR: ['year', 0, 1],
  NEXT_YEAR: ['year', 1, 1],
  LAST_FISCAL_QUARTER: ['quarter', -1, 1],
  THIS_FISCAL_QUARTER: ['quarter', 0, 1],
  NEXT_FISCAL_QUARTER: ['quarter', 1, 1],
  LAST_FISCAL_YEAR: ['year', -1, 1],
  THIS_FISCAL_YEAR: ['year', 0, 1],
  NEXT_FISCAL_YEAR: ['year', 1, 1],
};

/** Literal:n -> (n) => [unit, first unit relative to the current one, number of units]. */
const WITH_N: Record<string, (n: number) => [Unit, number, number]> = {
  LAST_N_HOURS: (n) => ['hour', -n, n + 1],
  NEXT_N_HOURS: (n) => ['hour', 1, n],
  N_HOURS_AGO: (n) => ['hour', -n, 1],
  LAST_N_DAYS: (n) => ['day', -n, n + 1],
  NEXT_N_DAYS: (n) => ['day', 1, n],
  N_DAYS_AGO: (n) => ['day', -n, 1],
  LAST_N_WEEKS: (n) => ['week', -n, n],
  NEXT_N_WEEKS: (n) => ['week', 1, n],
  N_WEEKS_AGO: (n) => ['week', -n, 1],
  LAST_N_MONTHS: (n) => ['month', -n, n],
  NEXT_N_MONTHS: (n) => ['month', 1, n],
  N_MONTHS_AGO: (n) => ['month', -n, 1],
  LAST_N_QUARTERS: (n) => ['quarter', -n, n],
  NEXT_N_QUARTERS: (n) => ['quarter', 1, n],
  N_QUARTERS_AGO: (n) => ['quarter', -n, 1],
  LAST_N_YEARS: (n) => ['year', -n, n],
  NEXT_N_YEARS: (n) => ['year', 1, n],
  N_YEARS_AGO: (n) => ['year', -n, 1],
  LAST_N_FISCAL_QUARTERS: (n) => ['quarter', -n, n],
  NEXT_N_FISCAL_QUARTERS: (n) => ['quarter', 1, n],
  N_FISCAL_QUARTERS_AGO: (n) => ['quarter', -n, 1],
  LAST_N_FISCAL_YEARS: (n) => ['year', -n, n],
  NEXT_N_FISCAL_YEARS: (n) => ['year', 1, n],
  N_FISCAL_YEARS_AGO: (n) => ['year', -n, 1],
};

export const isDateLiteral = (name: string): boolean => name.toUpperCase() in FIXED || name.toUpperCase() in WITH_N;
export const takesN = (name: string): boolean => name.toUpperCase() in WITH_N;

/** The start of the unit `offset` units from the one holding `now`. */
function unitStart(unit: Unit, now: number, offset: number): number {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (unit) {
    case 'hour':
      return Date.UTC(y, m, day, d.getUTCHours() + offset);
    case 'day':
      return Date.UTC(y, m, day + offset);
    case 'week':
      return Date.UTC(y, m, day - d.getUTCDay() + 7 * offset);
    case 'month':
      return Date.UTC(y, m + offset, 1);
    case 'quarter':
      return Date.UTC(y, m - (m % 3) + 3 * offset, 1);
    case 'year':
      return Date.UTC(y + offset, 0, 1);
  }
}

/** The range a literal covers at `now`; `n` is required by the :n forms and refused by the others. */
export function dateLiteralRange(name: string, n: number | undefined, now: number): DateRange {
  const upper = name.toUpperCase();
  const spec = n === undefined ? FIXED[upper] : WITH_N[upper]?.(n);
  if (!spec) throw new Error(`not a date literal: ${name}${n === undefined ? '' : `:${n}`}`);
  const [unit, first, count] = spec;
  return { start: unitStart(unit, now, first), end: unitStart(unit, now, first + count) };
}

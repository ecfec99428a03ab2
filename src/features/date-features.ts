const DAY_MS = 86_400_000;

/** Days from the date to the reference time (the scoring time); negative for future dates. */
export function recencyDays(epochMs: number, referenceMs: number): number {
  return (referenceMs - epochMs) / DAY_MS;
}

/** Hour of day, 0-23 (UTC, as dates without a zone are read as UTC). */
export function hourOf(epochMs: number): number {
  return Number.isNaN(epochMs) ? Number.NaN : new Date(epochMs).getUTCHours();
}

/** Day of week, 0 = Monday ... 6 = Sunday. */
export function weekdayOf(epochMs: number): number {
  return Number.isNaN(epochMs) ? Number.NaN : (new Date(epochMs).getUTCDay() + 6) % 7;
}

/** Whole days left in the month after this date (0 on the last day): quota pressure at month end. */
export function daysToMonthEnd(epochMs: number): number {
  if (Number.isNaN(epochMs)) return Number.NaN;
  const d = new Date(epochMs);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  return last - d.getUTCDate();
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

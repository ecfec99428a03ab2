import { MISSING, OTHER } from './categorical-encoding.js';
import { WEEKDAY_NAMES } from './date-features.js';
import { percentileOf } from './quantiles.js';
import type { FeatureDef } from './types.js';

/** What a reason needs to know about a feature beyond its definition, kept from training. */
export interface FeatureStats {
  /** Label of the source column, e.g. "Created date" for its weekday feature. */
  sourceLabel: string;
  /** Training quantiles (every 5%) for numeric-like features: "high" and "low" are relative to these unless a population's are given (DescribeOptions.levels). */
  quantiles?: number[];
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export interface DescribeOptions {
  /**
   * false: a number is given without "low"/"high". For a reason whose weight comes from
   * the value being there at all (its missing-value flag), a level would claim the size mattered:
   * "Days since previous campaign call is low (3)" where having been called before is the point.
   */
  levelled?: boolean;
  /**
   * Quantiles (the same 5% grid) of the population the lead is explained against, which "low" and
   * "high" are then judged by, as its points are measured from that population's typical lead
   * (see scoring/population-quantiles.ts). Absent or empty: the training quantiles.
   */
  levels?: readonly number[];
}

/**
 * One feature's value for one lead, in plain words for a sales rep:
 * "Lead source is Reference", "Total time on website is high (1,420 s)",
 * "Days since previous contact is unknown", "Created date was on a Friday"; a count (config
 * features.counts) "Calls in this campaign: 2", "Calls in this campaign: 7 (high)".
 */
export function describeFeature(def: FeatureDef, value: number, stats: FeatureStats, options: DescribeOptions = {}): string {
  const label = stats.sourceLabel;
  // A count's label names what is counted, so the number answers it: "Calls in this campaign: 2".
  const is = def.count ? ':' : ' is';
  if (def.kind === 'missing-indicator') return value >= 0.5 ? `${label}${is} unknown` : `${label}${is} known`;
  if (Number.isNaN(value)) return `${label}${is} unknown`;
  switch (def.kind) {
    case 'categorical': {
      const category = def.categories?.[value];
      if (category === MISSING) return `${label} is unknown`;
      if (category === OTHER && def.categoryLabels?.[value] === OTHER) return `${label} is another, less common value`;
      return `${label} is ${def.categoryLabels?.[value] ?? category ?? 'another, less common value'}`;
    }
    case 'boolean':
      return `${label} is ${value >= 0.5 ? 'yes' : 'no'}`;
    case 'numeric': {
      const shown = number.format(value);
      const amount = `${shown}${unitAfter(def.unit, shown === '1')}`;
      const standing = options.levelled === false ? null : level(options.levels?.length ? options.levels : (stats.quantiles ?? []), value);
      if (def.count) return standing ? `${label}: ${amount} (${standing})` : `${label}: ${amount}`;
      return standing ? `${label} is ${standing} (${amount})` : `${label} is ${amount}`;
    }
    case 'recency-days': {
      const days = Math.round(value);
      if (days < 0) return `${label} is in ${plural(-days, 'day')}`;
      if (days === 0) return `${label} is today`;
      return `${label} was ${plural(days, 'day')} ago`;
    }
    case 'hour':
      return `${label} was at ${String(value).padStart(2, '0')}:00`;
    case 'weekday':
      return `${label} was on a ${WEEKDAY_NAMES[value] ?? 'day'}`;
    case 'days-to-month-end':
      return value === 0 ? `${label} was on the last day of the month` : `${label} was ${plural(value, 'day')} before month end`;
  }
}

/**
 * Below the population's lower quartile is "low", above its upper quartile "high" (the training
 * leads' where no population is known); in between no word
 * (null): a middle value can still push a score hard either way (a forest splits anywhere), and
 * "+21 Email opens is typical (15)" next to "-20 Email opens is typical (5)" read as a contradiction.
 */
function level(quantiles: readonly number[], value: number): 'low' | 'high' | null {
  const p = percentileOf(quantiles, value);
  return p < 0.25 ? 'low' : p > 0.75 ? 'high' : null;
}

/**
 * "1,420 s", "3 days", "1 day", but "4.96%": a per cent sign is set close, as English text writes
 * it, and a plural unit (config features.units names them so) is singular after exactly 1.
 */
function unitAfter(unit: string | undefined, one: boolean): string {
  if (!unit) return '';
  if (unit === '%') return unit;
  return ` ${one && unit.length > 2 && unit.endsWith('s') ? unit.slice(0, -1) : unit}`;
}

function plural(n: number, unit: string): string {
  return `${wholeNumber.format(n)} ${unit}${n === 1 ? '' : 's'}`;
}

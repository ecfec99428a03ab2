export type Trend = 'up' | 'steady' | 'down';

/**
 * What a lead's first score is written with. It has no previous score, so no direction; "steady"
 * would tell a rep it was scored before and did not move. manifest.json lists it as the trend
 * fields' fourth option, and the schema step adds it to existing installs before any push.
 */
export const FIRST_SCORE_TREND = 'new';

/**
 * Direction of a lead's score since it was last scored. Moves smaller than the threshold are
 * "steady" so reps are not told a lead is heating up because of noise. A lead scored for the
 * first time has no trend (null); the caller decides how to show that.
 */
export function trendOf(previous: number | null | undefined, current: number, threshold = 5): Trend | null {
  if (previous === null || previous === undefined || !Number.isFinite(previous)) return null;
  const change = current - previous;
  if (change >= threshold) return 'up';
  if (change <= -threshold) return 'down';
  return 'steady';
}

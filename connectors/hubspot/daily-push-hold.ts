import type { DailyLimitHold } from '../types.js';
import { counted } from '../../src/domain/counted.js';
import type { DailyUsageKeeper } from './daily-usage.js';
import { resetWords } from './reset-words.js';

/**
 * The share of the portal's daily limit a push leaves to the portal's other private apps. The
 * limit is the whole portal's: a push that spent it to the last request would have HubSpot refuse
 * every other integration (forms, billing, a data warehouse) until midnight, for scores that can
 * as well be written after the reset. It also covers what the reading cannot see: HubSpot serves
 * it from a cache up to 5 minutes old, and the other apps go on calling meanwhile.
 */
export const DAILY_RESERVE_SHARE = 0.05;

/**
 * Whether a push of `total` scores, `writeSize` to a request, fits what today's limit has left
 * by the sync's reading. When it clearly does not, the push writes what fits above the reserve
 * and holds the rest pending (all of it when nothing fits): written leads and held ones are each
 * accounted for, and the first run after the reset writes the held ones.
 */
export function dailyPushHold(keeper: DailyUsageKeeper, total: number, writeSize: number): DailyLimitHold | null {
  const reading = keeper.current();
  const remaining = keeper.remaining();
  if (!reading || remaining === null || total <= 0) return null;
  const { usageLimit, resetsAt, timeZone } = reading.usage;
  const needed = Math.ceil(total / writeSize);
  const reserve = Math.ceil(usageLimit * DAILY_RESERVE_SHARE);
  const usable = Math.max(0, remaining - reserve);
  if (needed <= usable) return null;
  const fits = Math.min(total, usable * writeSize);
  const reason =
    `Held to stay within HubSpot's daily API limit for private apps: about ${counted(remaining, 'request')} of its ${usageLimit.toLocaleString('en-US')} are left today ` +
    `and this push needs ${needed.toLocaleString('en-US')}, while leadlift leaves the last ${reserve.toLocaleString('en-US')} (${DAILY_RESERVE_SHARE * 100}%) to the portal's other private apps. ` +
    `The held scores stay pending: the first run after the limit resets at ${resetWords(resetsAt, timeZone)} writes them.`;
  return { fits, remaining, needed, resetsAt, reason };
}

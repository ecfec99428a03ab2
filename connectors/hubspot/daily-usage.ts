import { z } from 'zod';
import type { DailyApiUsage } from '../types.js';
import type { ApiCaller, HubspotApis } from './api-caller.js';

/**
 * The portal's daily API allowance for private apps, read at the start of each sync. HubSpot
 * refuses every call once it is spent (429 DAILY), the usage endpoint's too, and SDK 13.5 lets
 * no middleware see the X-HubSpot-RateLimit-Daily-Remaining header of each call; so the figures
 * are read once, up front, and what the connector sends afterwards is counted against them.
 *
 * GET /account-info/v3/api-usage/daily/private-apps (HubSpot's reference, "Retrieve private app
 * daily API usage"): { results: [{ name: "private-apps-api-calls-daily", usageLimit, currentUsage,
 * collectedAt, fetchStatus, resetsAt }] }. GET /account-info/v3/details: { portalId, timeZone,
 * utcOffset, ... }, read once per connector for the time zone the reset is said in (a connector
 * serves one portal for its life).
 */

const usageBody = z.object({
  results: z
    .array(
      z
        .object({
          name: z.string(),
          usageLimit: z.number().int().nonnegative(),
          currentUsage: z.number().int().nonnegative(),
          resetsAt: z.string().datetime({ offset: true }),
        })
        .passthrough(),
    )
    .min(1),
});

const detailsBody = z.object({ timeZone: z.string().min(1) }).passthrough();

const USAGE_PATH = '/account-info/v3/api-usage/daily/private-apps';
const DETAILS_PATH = '/account-info/v3/details';

/** A reading, and the connector's request count when it was taken (what was sent since draws on it too). */
export interface DailyReading {
  usage: DailyApiUsage;
  callsAtRead: number;
}

export interface DailyUsageKeeper {
  /** One read (the time zone too, the first time); never throws: a failure is a note. */
  read(): Promise<{ usage: DailyApiUsage | null; note?: string }>;
  /** The latest reading while its day lasts (a failed read keeps the one before, still true of today). */
  current(): DailyReading | null;
  /** Requests left today by the latest reading, less the connector's since. */
  remaining(): number | null;
}

export function dailyUsageKeeper(caller: ApiCaller, now: () => number = Date.now): DailyUsageKeeper {
  let reading: DailyReading | null = null;
  let timeZone: string | null | undefined;
  const current = () => (reading && Date.parse(reading.usage.resetsAt) > now() ? reading : null);
  // The caller's DAILY refusals say the reset time from the latest reading, whenever it was taken.
  caller.daily = current;

  const getJson = async (apis: HubspotApis, path: string): Promise<unknown> => {
    const res = await apis.apiRequest({ method: 'GET', path });
    const body: unknown = await res.json().catch(() => ({}));
    // The SDK's generic request resolves on any status: thrown in the shape its typed calls throw, for the caller's handling.
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { code: res.status, body, headers: Object.fromEntries(res.headers.entries()) });
    return body;
  };

  return {
    async read() {
      try {
        // A failed read must not hold the sync up with retries of its own: noRetry.
        const [body, zone] = await Promise.all([
          caller.call('standard', "reading the portal's daily API usage", (apis) => getJson(apis, USAGE_PATH), undefined, { noRetry: true }),
          timeZone === undefined ? readTimeZone() : Promise.resolve(timeZone),
        ]);
        if (zone !== null) timeZone = zone;
        const parsed = usageBody.safeParse(body);
        if (!parsed.success) throw new Error(`its answer was not the usage HubSpot documents (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
        const daily = parsed.data.results.find((r) => r.name === 'private-apps-api-calls-daily') ?? parsed.data.results[0];
        const usage: DailyApiUsage = { usageLimit: daily.usageLimit, currentUsage: daily.currentUsage, resetsAt: new Date(daily.resetsAt).toISOString(), timeZone: zone };
        reading = { usage, callsAtRead: caller.totals.apiCalls };
        return { usage };
      } catch (err) {
        return { usage: null, note: `HubSpot's daily API usage could not be read, so the sync goes on without it: ${(err as Error).message}` };
      }
    },
    current,
    remaining() {
      const r = current();
      return r ? Math.max(0, r.usage.usageLimit - r.usage.currentUsage - (caller.totals.apiCalls - r.callsAtRead)) : null;
    },
  };

  /** The account's time zone, or null when the details cannot be read (not kept then: the next sync asks again). */
  async function readTimeZone(): Promise<string | null> {
    try {
      const body = await caller.call('standard', "reading the portal's account details", (apis) => getJson(apis, DETAILS_PATH), undefined, { noRetry: true });
      const parsed = detailsBody.safeParse(body);
      return parsed.success ? parsed.data.timeZone : null;
    } catch {
      return null;
    }
  }
}

import type { Request, Response } from 'express';
import type { SandboxContext } from '../../context.js';
import { ORG_ID, USER_ID } from '../ids.js';
import { sandboxBaseUrl } from './oauth.js';
import { usageToday } from '../session.js';
import type { SalesforceState } from '../state.js';

/** API versions, the per-version resource index and /limits. */

/**
 * 21.0-30.0 were retired in Summer '25, so 31.0 is the oldest an org still serves. 68.0 (Winter '27,
 * October 2026) is the newest until Spring '27 (69.0) ships in February 2027: raise it then.
 */
export const OLDEST_VERSION = 31;
export const NEWEST_VERSION = 68;

/** Salesforce's release names: 60.0 is Spring '24, then Summer, Winter, three a year. */
function releaseLabel(v: number): string {
  const season = ['Spring', 'Summer', 'Winter'][v % 3];
  const year = Math.floor((v - 60) / 3) + 24 + (season === 'Winter' ? 1 : 0);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function isSupportedVersion(segment: string): boolean {
  const m = /^v(\d+)\.0$/.exec(segment);
  return !!m && Number(m[1]) >= OLDEST_VERSION && Number(m[1]) <= NEWEST_VERSION;
}

export function versionsHandler(_req: Request, res: Response): void {
  const out = [];
  for (let v = OLDEST_VERSION; v <= NEWEST_VERSION; v++) {
    out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  res.json(out);
}

export function resourcesHandler(ctx: SandboxContext) {
  return (req: Request, res: Response): void => {
    const version = res.locals.sfVersion as string;
    const base = `/services/data/v${version}`;
    res.json({
      tooling: `${base}/tooling`,
      composite: `${base}/composite`,
      jobs: `${base}/jobs`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      limits: `${base}/limits`,
      sobjects: `${base}/sobjects`,
      identity: `${sandboxBaseUrl(ctx, req)}/id/${ORG_ID}/${USER_ID}`,
    });
  };
}

export function limitsHandler(ctx: SandboxContext, state: SalesforceState) {
  return (_req: Request, res: Response): void => {
    const { used, max } = usageToday(ctx, state);
    const fixed = (m: number) => ({ Max: m, Remaining: m });
    res.json({
      DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
      DailyAsyncApexExecutions: fixed(250000),
      DailyBulkApiBatches: fixed(15000),
      DailyBulkV2QueryFileStorageMB: fixed(976562),
      DailyBulkV2QueryJobs: fixed(10000),
      DataStorageMB: fixed(5),
      FileStorageMB: fixed(20),
      HourlyPublishedPlatformEvents: fixed(50000),
      SingleEmail: fixed(15),
    });
  };
}

import type { Connection } from 'jsforce';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { SalesforceConfig } from './config.js';

/**
 * How many more API requests the connector may send. Salesforce counts DailyApiRequests per org
 * over a rolling 24 hours and every integration draws on it, so the app keeps to a share
 * (config `apiShare`): the allowance is read from /limits before a pull or push, every request the
 * sync's pulls (pull-budget.ts) and the push send is taken from it, and the usage Salesforce reports on each REST response
 * (Sforce-Limit-Info, kept by jsforce in conn.limitInfo) tightens it when others spend too.
 */

export interface ApiBudget {
  /** Takes `n` requests if they fit; false = stop here. */
  take(n: number): boolean;
  /** Gives back `n` requests taken ahead of time but never sent. */
  refund(n: number): void;
  /** Re-reads the usage jsforce saw on the last REST response. */
  sync(conn: Connection): void;
  readonly remaining: number;
  /** Salesforce refused a request for the daily limit: send nothing more until the next read. */
  exhaust(): void;
  /** Words for the admin: the share, the allocation and what is used. */
  describe(): string;
}

export async function readApiBudget(caller: ApiCaller, config: SalesforceConfig, stats: CallStats): Promise<ApiBudget> {
  const limits = await caller.call('reading the org\'s API limits', (conn) => conn.limits(), { stats });
  const daily = limits.DailyApiRequests;
  let max = daily.Max;
  let used = daily.Max - daily.Remaining;
  let remaining = Math.floor(max * config.apiShare) - used;
  let exhausted = false;
  return {
    take(n: number) {
      if (remaining < n) return false;
      remaining -= n;
      used += n;
      return true;
    },
    refund(n: number) {
      if (n <= 0 || exhausted) return;
      remaining += n;
      used -= n;
    },
    sync(conn: Connection) {
      const usage = conn.limitInfo?.apiUsage;
      if (!usage || usage.limit <= 0) return;
      max = usage.limit;
      used = Math.max(used, usage.used);
      remaining = Math.min(remaining, Math.floor(max * config.apiShare) - usage.used);
    },
    exhaust() {
      exhausted = true;
      remaining = 0;
    },
    get remaining() {
      return Math.max(0, remaining);
    },
    describe() {
      if (exhausted) return 'Salesforce answered REQUEST_LIMIT_EXCEEDED (the org\'s daily API requests are spent)';
      return `leadlift may use ${percent(config.apiShare)} of the org's ${max.toLocaleString('en-US')} daily API requests and the org has used ${used.toLocaleString('en-US')}`;
    },
  };
}

/** A share as a percentage that never rounds a small one to 0%: 0.5 -> 50%, 0.125 -> 12.5%, 0.00379 -> 0.38%. */
export function percent(share: number): string {
  const p = share * 100;
  return `${p >= 1 ? Number(p.toFixed(1)) : Number(p.toPrecision(2))}%`;
}

/** The allowance is read again after this long; in between, requests are counted as they go. */
const REREAD_AFTER_MS = 5 * 60_000;

export type BudgetSource = (stats: CallStats) => Promise<ApiBudget>;

/**
 * The connector's budget across pushes: the loop pushes in many small calls, and reading /limits
 * before each would double their cost. Re-read every few minutes so others' usage shows up. The
 * read itself is shared: chunks pushed side by side that ask at once wait for the same one.
 */
export function apiBudgetKeeper(caller: ApiCaller, config: SalesforceConfig, now: () => number = Date.now): BudgetSource {
  let current: { budget: Promise<ApiBudget>; readAt: number } | null = null;
  return (stats) => {
    if (!current || now() - current.readAt > REREAD_AFTER_MS) {
      const budget = readApiBudget(caller, config, stats);
      const entry = { budget, readAt: now() };
      current = entry;
      // A failed read is not kept: the next push reads again.
      budget.catch(() => {
        if (current === entry) current = null;
      });
    }
    return current.budget;
  };
}

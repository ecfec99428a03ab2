import type { Request, RequestHandler } from 'express';
import { callerOf } from './auth.js';
import { rateLimitBody } from './errors.js';

/**
 * HubSpot counts requests on a rolling window, not fixed buckets, and reports the window in its own
 * headers; express-rate-limit only does fixed windows with standard headers, so this keeps the
 * timestamps of accepted requests and drops those older than the window.
 */
export class RollingWindow {
  private stamps: number[] = [];

  constructor(
    private readonly limit: () => number,
    readonly windowMs: number,
  ) {}

  /** Counts the request if there is room; otherwise says how many seconds until there is. */
  take(now = Date.now()): { allowed: boolean; remaining: number; retryAfterS: number; max: number } {
    const max = this.limit();
    this.prune(now);
    if (this.stamps.length >= max) {
      const retryAfterS = Math.max(1, Math.ceil((this.stamps[0] + this.windowMs - now) / 1000));
      return { allowed: false, remaining: 0, retryAfterS, max };
    }
    this.stamps.push(now);
    return { allowed: true, remaining: max - this.stamps.length, retryAfterS: 0, max };
  }

  clear(): void {
    this.stamps = [];
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.stamps.length && this.stamps[drop] <= cutoff) drop++;
    if (drop > 0) this.stamps.splice(0, drop);
  }
}

/**
 * Requests a private app made today (UTC, the sandbox portal's time zone) on the sandbox clock,
 * against its daily allowance (ctx.options.hubspotDailyLimit; by default HubSpot's for a free or
 * starter portal, whose ten-second limit, 100, the sandbox has by default). Once it is spent, a
 * request is refused and not counted, until the day ends (HubSpot resets it at midnight in the
 * portal's time zone).
 */
export class DailyCount {
  private day = '';
  private count = 0;

  constructor(
    private readonly now: () => number,
    private readonly limit: () => number,
  ) {}

  /** Counts the request if today's allowance has room; the calls left today either way. */
  take(): { allowed: boolean; remaining: number; max: number } {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    if (day !== this.day) [this.day, this.count] = [day, 0];
    const max = this.limit();
    if (this.count >= max) return { allowed: false, remaining: 0, max };
    this.count += 1;
    return { allowed: true, remaining: max - this.count, max };
  }

  clear(): void {
    this.count = 0;
  }

  /** Today's usage as HubSpot's usage endpoint reports it: calls so far, the allowance, and the next midnight (UTC). */
  usage(): { used: number; max: number; resetsAt: number } {
    const now = this.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const start = Date.parse(`${day}T00:00:00Z`);
    return { used: day === this.day ? this.count : 0, max: this.limit(), resetsAt: start + 86_400_000 };
  }
}

const isSearch = (req: Request) => req.method === 'POST' && /^\/v3\/objects\/[^/]+\/search\/?$/.test(req.path);

/**
 * The app-wide limit, 429 TEN_SECONDLY_ROLLING past it, reported in X-HubSpot-RateLimit-* headers
 * as HubSpot does: not on CRM search responses (which HubSpot sends without the standard rate
 * limit headers, though they count), and the daily ones (-Daily, -Daily-Remaining) only to
 * private apps: OAuth calls have no daily limit, so HubSpot leaves those two out for them. A
 * private app past its daily allowance gets 429 DAILY, without Retry-After (the sandbox knows of
 * none that HubSpot sends for it), and the request takes no slot of the ten-second window.
 */
export function tenSecondlyLimit(window: RollingWindow, daily: DailyCount): RequestHandler {
  return (req, res, next) => {
    const today = callerOf(res)?.kind === 'private-app' ? daily.take() : null;
    if (today && !today.allowed) {
      if (!isSearch(req)) {
        res.setHeader('X-HubSpot-RateLimit-Daily', String(today.max));
        res.setHeader('X-HubSpot-RateLimit-Daily-Remaining', '0');
      }
      res.status(429).json(rateLimitBody('DAILY'));
      return;
    }
    const verdict = window.take();
    if (!isSearch(req)) {
      res.setHeader('X-HubSpot-RateLimit-Max', String(verdict.max));
      res.setHeader('X-HubSpot-RateLimit-Remaining', String(verdict.remaining));
      res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(window.windowMs));
      if (today) {
        res.setHeader('X-HubSpot-RateLimit-Daily', String(today.max));
        res.setHeader('X-HubSpot-RateLimit-Daily-Remaining', String(today.remaining));
      }
    }
    if (verdict.allowed) return next();
    res.setHeader('Retry-After', String(verdict.retryAfterS));
    res.status(429).json(rateLimitBody('TEN_SECONDLY_ROLLING'));
  };
}

/** The search endpoints' own, lower per-second limit (HubSpot's "secondly" policy). */
export function searchLimit(window: RollingWindow): RequestHandler {
  return (_req, res, next) => {
    const verdict = window.take();
    if (verdict.allowed) return next();
    res.setHeader('Retry-After', String(verdict.retryAfterS));
    res.status(429).json(rateLimitBody('SECONDLY'));
  };
}

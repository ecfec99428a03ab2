import type { RequestHandler } from 'express';
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

/** The app-wide limit: X-HubSpot-RateLimit-* on every response, 429 TEN_SECONDLY_ROLLING past it. */
export function tenSecondlyLimit(window: RollingWindow): RequestHandler {
  return (_req, res, next) => {
    const verdict = window.take();
    res.setHeader('X-HubSpot-RateLimit-Max', String(verdict.max));
    res.setHeader('X-HubSpot-RateLimit-Remaining', String(verdict.remaining));
    res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(window.windowMs));
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

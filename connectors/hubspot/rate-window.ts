import Bottleneck from 'bottleneck';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A limiter that never starts more than `perWindow` requests in any rolling window of
 * `windowMs`, which is how HubSpot counts (a fixed-interval reservoir refresh could let twice
 * the allowance through across a boundary). Each request takes one slot from bottleneck's
 * reservoir and hands it back one window after it started.
 */
export interface RollingWindowLimiter {
  schedule<T>(task: () => Promise<T>): Promise<T>;
  /** Hold every new request until `until` (epoch ms), e.g. after a 429 with Retry-After. */
  pauseUntil(until: number): void;
}

export function rollingWindowLimiter(options: { perWindow: number; windowMs: number; maxConcurrent: number }): RollingWindowLimiter {
  const perWindow = Math.max(1, Math.floor(options.perWindow));
  const limiter = new Bottleneck({ reservoir: perWindow, maxConcurrent: options.maxConcurrent });
  let pausedUntil = 0;

  // A request reaches HubSpot a little after we start it, and not always equally late: keep a
  // small margin so the portal's own window never sees more than our share.
  const holdMs = options.windowMs + Math.min(500, options.windowMs * 0.05);
  const giveBackLater = () => {
    const timer = setTimeout(() => void limiter.incrementReservoir(1), holdMs);
    timer.unref();
  };

  return {
    async schedule<T>(task: () => Promise<T>): Promise<T> {
      return limiter.schedule(async () => {
        // Waiting here keeps the slot, so requests queued behind a 429 do not stampede after it.
        const wait = pausedUntil - Date.now();
        if (wait > 0) await sleep(wait);
        giveBackLater();
        return task();
      });
    },
    pauseUntil(until: number) {
      pausedUntil = Math.max(pausedUntil, until);
    },
  };
}


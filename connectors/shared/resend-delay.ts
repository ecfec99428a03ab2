import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits before resend round `round` (1 = the first resend) of a push: doubling from minDelayMs,
 * capped at maxDelayMs. Both CRMs' pushes resend failed writes in rounds this way.
 */
export async function waitBeforeRound(retry: { minDelayMs: number; maxDelayMs: number }, round: number): Promise<void> {
  if (round > 0) await sleep(roundDelayMs(retry, round));
}

/** How long waitBeforeRound waits before round `round` (0 for the first send). */
export function roundDelayMs(retry: { minDelayMs: number; maxDelayMs: number }, round: number): number {
  return round > 0 ? Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** (round - 1)) : 0;
}

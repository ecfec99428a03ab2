import type { SandboxClock } from './context.js';

/**
 * Sandbox time is wall-clock time plus an offset the control API can push forward, so tests can
 * expire tokens or age leads without waiting. The offset is what gets persisted.
 */
export interface OffsetClock extends SandboxClock {
  offset(): number;
  setOffset(ms: number): void;
}

export function createClock(initialOffset = 0): OffsetClock {
  let offset = initialOffset;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The sandbox clock only moves forward');
      offset += ms;
    },
    offset: () => offset,
    setOffset(ms) {
      offset = ms;
    },
  };
}

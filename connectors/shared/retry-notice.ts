/**
 * What a connector says while it waits to retry a CRM that did not answer, and when it should not
 * wait at all. Both CRMs' callers retry network errors and 5xx with p-retry's doubling back-off;
 * without a word, a CRM that is down looks like a hang for as long as the retries last.
 */

export type NoteListener = (text: string) => void;

/** The network error's code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT…) however the HTTP client wrapped it. */
export function networkCode(err: unknown): string | null {
  for (let e = err as { code?: unknown; errno?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    for (const value of [e.code, e.errno]) if (typeof value === 'string' && /^E[A-Z_]+$/.test(value)) return value;
    const inMessage = typeof e.message === 'string' ? /\b(E(?:CONNREFUSED|CONNRESET|NOTFOUND|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN|PIPE))\b/.exec(e.message) : null;
    if (inMessage) return inMessage[1];
  }
  return null;
}

/**
 * Refused at the very first request: nothing listens at that address (a wrong URL or port, or
 * the service is down), which a minute of retries does not change. Failing at once lets the admin
 * fix the setting now; the schedule tries again anyway. Refused after the CRM has answered is a
 * restart or a blip: that one is worth the retries.
 */
export function failFast(code: string | null, answeredBefore: boolean): boolean {
  return code === 'ECONNREFUSED' && !answeredBefore;
}

/** The longest p-retry waits before retry `retry` (1 = the first): doubling from minDelayMs, randomised up to 2x, capped. */
export function longestWaitMs(delays: { minDelayMs: number; maxDelayMs: number }, retry: number): number {
  return Math.min(delays.maxDelayMs, 2 * delays.minDelayMs * 2 ** (retry - 1));
}

/**
 * "HubSpot not reachable (ECONNREFUSED) while searching contacts: retry 3 of 5 within 4 s";
 * `reason` is a network code, or "HTTP 503" (or the CRM's own code, with `answered`) for an answer
 * that asks to come back later.
 */
export function retryNote(crmName: string, reason: string, action: string, retry: number, retries: number, waitMs: number, answered = reason.startsWith('HTTP ')): string {
  const wait = waitMs < 1000 ? 'within a second' : `within ${Math.ceil(waitMs / 1000)} s`;
  return `${crmName} ${answered ? 'unavailable' : 'not reachable'} (${reason}) while ${action}: retry ${retry} of ${retries} ${wait}`;
}

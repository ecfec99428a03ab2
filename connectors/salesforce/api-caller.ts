import type { Connection } from 'jsforce';
import pRetry, { AbortError } from 'p-retry';
import { failFast, longestWaitMs, networkCode, retryNote, type NoteListener } from '../shared/retry-notice.js';
import type { SalesforceConfig } from './config.js';
import { errorCodeOf, isTransient, translate, SalesforceError } from './errors.js';
import type { SalesforceSession } from './session.js';

/**
 * The one way the connector talks to Salesforce: through jsforce on the session's connection,
 * retried by p-retry when the failure may pass (network, 5xx, a busy org), translated into our
 * errors otherwise, and counted so every report says how many API requests it cost.
 */

export interface CallStats {
  apiCalls: number;
  /**
   * Requests refused for load (REQUEST_LIMIT_EXCEEDED): Salesforce's counterpart of HubSpot's
   * 429, counted under the same name so the loop's summary reads the same for both CRMs.
   */
  rateLimited: number;
}

export interface ApiCaller {
  /**
   * Runs `request` (which makes `requests` HTTP calls, default 1) and retries it as a whole.
   * Pass `noRetry` for calls that are not safe to repeat blindly.
   */
  call<T>(action: string, request: (conn: Connection) => Promise<T>, options?: { stats?: CallStats; requests?: number; noRetry?: boolean }): Promise<T>;
  connection(): Promise<Connection>;
  /** Everything this connector has sent since it was created. */
  readonly totals: CallStats;
  readonly ownFields: string[];
  /** Told each retry while it waits (the cycle's log), so a Salesforce that is down does not look like a hang. */
  onNote?: NoteListener | null;
}

export function createApiCaller(config: SalesforceConfig, session: SalesforceSession, ownFields: string[]): ApiCaller {
  const totals: CallStats = { apiCalls: 0, rateLimited: 0 };
  // Any answer from Salesforce, even an error, shows something listens at the instance URL (see failFast).
  let answered = false;

  async function call<T>(
    action: string,
    request: (conn: Connection) => Promise<T>,
    options: { stats?: CallStats; requests?: number; noRetry?: boolean } = {},
  ): Promise<T> {
    const conn = await session.connection();
    const attempt = async (): Promise<T> => {
      const n = options.requests ?? 1;
      totals.apiCalls += n;
      if (options.stats) options.stats.apiCalls += n;
      try {
        const result = await request(conn);
        answered = true;
        return result;
      } catch (err) {
        const code = networkCode(err);
        if (!code) answered = true;
        if (failFast(code, answered)) throw new AbortError(translate(err, action, session.secrets(), ownFields));
        if (errorCodeOf(err) === 'REQUEST_LIMIT_EXCEEDED') {
          totals.rateLimited += 1;
          if (options.stats) options.stats.rateLimited += 1;
        }
        if (session.refreshFailure) throw new AbortError(session.refreshFailure);
        if (!options.noRetry && isTransient(err)) throw err;
        throw new AbortError(translate(err, action, session.secrets(), ownFields));
      }
    };
    try {
      return await pRetry(attempt, {
        retries: options.noRetry ? 0 : config.retry.retries,
        minTimeout: config.retry.minDelayMs,
        maxTimeout: config.retry.maxDelayMs,
        factor: 2,
        randomize: true,
        unref: true,
        onFailedAttempt: ({ error, retriesConsumed, retriesLeft }) => {
          if (retriesLeft === 0) return;
          caller.onNote?.(retryNote('Salesforce', retryReason(error), action, retriesConsumed + 1, config.retry.retries, longestWaitMs(config.retry, retriesConsumed + 1), networkCode(error) === null));
        },
      });
    } catch (err) {
      throw err instanceof SalesforceError ? err : translate(err, action, session.secrets(), ownFields);
    }
  }

  const caller: ApiCaller = { call, connection: () => session.connection(), totals, ownFields, onNote: null };
  return caller;
}

/**
 * What retryNote says was wrong: a network code ("not reachable (ECONNREFUSED)"), or for an answer
 * that asks to come back later its HTTP status and Salesforce's code where known
 * ("unavailable (HTTP 503)", "unavailable (SERVER_UNAVAILABLE)", a busy org's REQUEST_LIMIT_EXCEEDED).
 */
function retryReason(err: unknown): string {
  const network = networkCode(err);
  if (network) return network;
  // jsforce names an error body it could not place ERROR_HTTP_<status>; errorCodeOf reads the code inside.
  const status = /^ERROR_HTTP_(\d{3})$/.exec(String((err as { errorCode?: unknown }).errorCode ?? ''))?.[1];
  const code = errorCodeOf(err);
  const named = code && !/^ERROR_HTTP_/.test(code) ? code : null;
  if (status) return named ? `HTTP ${status} ${named}` : `HTTP ${status}`;
  return named ?? 'an error that may pass';
}

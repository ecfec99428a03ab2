import type { Connection } from 'jsforce';
import pRetry, { AbortError } from 'p-retry';
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
}

export function createApiCaller(config: SalesforceConfig, session: SalesforceSession, ownFields: string[]): ApiCaller {
  const totals: CallStats = { apiCalls: 0, rateLimited: 0 };

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
        return await request(conn);
      } catch (err) {
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
      });
    } catch (err) {
      throw err instanceof SalesforceError ? err : translate(err, action, session.secrets(), ownFields);
    }
  }

  return { call, connection: () => session.connection(), totals, ownFields };
}

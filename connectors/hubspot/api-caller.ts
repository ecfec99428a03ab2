import { Client } from '@hubspot/api-client';
import pRetry, { AbortError } from 'p-retry';
import type { DailyApiUsage } from '../types.js';
import type { HubspotConfig } from './config.js';
import {
  HubspotAuthError,
  HubspotDailyLimitError,
  HubspotError,
  HubspotRateLimitError,
  HubspotRequestError,
  HubspotScopeError,
  HubspotUnavailableError,
  HubspotUnreachableError,
} from './errors.js';
import { redact } from '../shared/redact.js';
import { failFast, longestWaitMs, networkCode, retryNote, type NoteListener } from '../shared/retry-notice.js';
import { missingProperties } from './missing-properties.js';
import { rollingWindowLimiter } from './rate-window.js';

/**
 * The one way the connector talks to HubSpot: through the official SDK, paced by our own
 * rolling-window limiter, retried by p-retry, and counted. The SDK's own retry decorator is
 * off (numberOfApiCallRetries: 0) and its limiter unused, so every HTTP request is one we
 * scheduled and counted here.
 */

export interface HubspotApis {
  contacts: Client['crm']['contacts'];
  deals: Client['crm']['deals'];
  properties: Client['crm']['properties'];
  associations: Client['crm']['associations']['v4'];
  /** The SDK's generic request, for the account-info endpoints it has no typed API for (daily-usage.ts). */
  apiRequest: Client['apiRequest'];
}

/** Counters for one operation (a push, a pull) so its report says what it cost. */
export interface CallStats {
  apiCalls: number;
  rateLimited: number;
}

export type CallKind = 'standard' | 'search';

export interface CallOptions {
  /**
   * A 5xx or a network failure is thrown at once instead of retried here: for callers that
   * resend in rounds of their own, so nothing is retried twice over. A 429 is still waited out
   * here, since that wait is the limiter's pacing (Retry-After holds every request), bounded by
   * retry.maxRateLimitWaits.
   */
  noRetry?: boolean;
}

export interface ApiCaller {
  call<T>(kind: CallKind, action: string, request: (apis: HubspotApis) => Promise<T>, stats?: CallStats, options?: CallOptions): Promise<T>;
  /** Everything this connector has sent since it was created. */
  readonly totals: CallStats;
  /** Where a retry after a network error or a 5xx is announced while it waits (the loop's log); null: silent. */
  onNote?: NoteListener | null;
  /** The day's usage as the sync last read it (daily-usage.ts), for a 429 DAILY to say when it resets; null: not known. */
  daily?: (() => { usage: DailyApiUsage } | null) | null;
}

/**
 * A 429 wait at least this long is said as it starts: a portal that keeps answering 429 would
 * otherwise hold a run silent for minutes (30 waits of a 20 s Retry-After).
 */
export const ANNOUNCED_WAIT_MS = 5_000;

interface SdkError {
  code?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `secrets`: the configured token and the one requests use now (an OAuth provider's latest), for scrubbing. */
export function createApiCaller(config: HubspotConfig): ApiCaller & { secrets(): string[] } {
  const share = config.rateLimit.share;
  const standard = rollingWindowLimiter({
    perWindow: config.rateLimit.requestsPerWindow * share,
    windowMs: config.rateLimit.windowMs,
    maxConcurrent: config.rateLimit.maxConcurrent,
  });
  const search = rollingWindowLimiter({
    perWindow: config.rateLimit.searchPerSecond * share,
    windowMs: 1000,
    maxConcurrent: 1,
  });
  const totals: CallStats = { apiCalls: 0, rateLimited: 0 };
  // Any HTTP answer, even an error status, shows something listens at the base URL (see failFast).
  let answered = false;
  const caller: ApiCaller & { secrets(): string[] } = { call, totals, onNote: null, daily: null, secrets: () => secrets().filter((s): s is string => !!s) };
  // Requests in flight together meet the same 429: the wait they share is said once.
  let announced = { policy: '', until: 0 };
  const announceWait = (policy: string, kind: CallKind, waitMs: number, wait: number, action: string) => {
    const until = Date.now() + waitMs;
    if (waitMs < ANNOUNCED_WAIT_MS || !caller.onNote) return;
    if (announced.policy === `${policy}/${kind}` && Math.abs(announced.until - until) < 1_000) return;
    announced = { policy: `${policy}/${kind}`, until };
    const note = `HubSpot rate limit (${policy} / ${kind}): waiting ${Math.round(waitMs / 1000)} s (${wait} of ${config.retry.maxRateLimitWaits}) while ${action}`;
    caller.onNote(note);
  };

  let currentToken: string | undefined;
  let apis: HubspotApis | undefined;
  const secrets = () => [currentToken, config.accessToken];

  const apisFor = (token: string): HubspotApis => {
    if (apis && token === currentToken) return apis;
    currentToken = token;
    const client = new Client({ accessToken: token, basePath: config.basePath, numberOfApiCallRetries: 0 });
    // The SDK applies decorators from a process-wide singleton when an API object is first
    // touched; resolving them now pins this client's (none) before any other client changes it.
    apis = {
      contacts: client.crm.contacts,
      deals: client.crm.deals,
      properties: client.crm.properties,
      associations: client.crm.associations.v4,
      apiRequest: (opts) => client.apiRequest(opts),
    };
    return apis;
  };

  const token = async (forceRefresh: boolean): Promise<string> => {
    if (config.accessTokenProvider) return config.accessTokenProvider({ forceRefresh });
    return config.accessToken as string;
  };

  async function call<T>(
    kind: CallKind,
    action: string,
    request: (apis: HubspotApis) => Promise<T>,
    stats?: CallStats,
    options: CallOptions = {},
  ): Promise<T> {
    let rateLimitWaits = 0;
    let refreshedToken = false;
    const count = (field: keyof CallStats) => {
      totals[field] += 1;
      if (stats) stats[field] += 1;
    };

    const attempt = async (): Promise<T> => {
      const current = apisFor(await token(false).catch(refusedTokenIsFinal));
      try {
        const send = () => {
          count('apiCalls');
          return request(current);
        };
        // A search also takes a slot of the general allowance: whether or not the portal counts
        // it there, our share then holds either way.
        const result = await (kind === 'search' ? search.schedule(() => standard.schedule(send)) : standard.schedule(send));
        answered = true;
        return result;
      } catch (err) {
        const status = (err as SdkError).code;
        if (typeof status === 'number') answered = true;
        if (status === 429 && isDaily(err as SdkError)) {
          // No wait helps before the day ends: stop at once, as the SDK's retry decorator does.
          count('rateLimited');
          const today = caller.daily?.()?.usage ?? null;
          throw new AbortError(new HubspotDailyLimitError(action, dailyLimitOf(err as SdkError) ?? today?.usageLimit ?? null, today));
        }
        if (status === 429) {
          count('rateLimited');
          rateLimitWaits += 1;
          if (rateLimitWaits > config.retry.maxRateLimitWaits) throw new AbortError(new HubspotRateLimitError(action, rateLimitWaits - 1));
          const waitMs = retryAfterMs(err as SdkError, config.retry.minDelayMs * 2 ** Math.min(rateLimitWaits - 1, 5));
          // HubSpot names the exhausted policy: the search's own per-second one, or the portal-wide one.
          const policy = ((err as SdkError).body as { policyName?: string } | undefined)?.policyName;
          (kind === 'search' && policy === 'SECONDLY' ? search : standard).pauseUntil(Date.now() + waitMs);
          announceWait(policy ?? 'no policy named', kind, waitMs, rateLimitWaits, action);
          throw new RateLimited(waitMs);
        }
        if (status === 401 && config.accessTokenProvider && !refreshedToken) {
          refreshedToken = true;
          apisFor(await token(true).catch(refusedTokenIsFinal));
          throw new TokenRefreshed();
        }
        const translated = translate(err, action, secrets());
        if (translated instanceof HubspotUnavailableError && translated.status === 0 && failFast(networkCode(err), answered)) {
          // Refused before HubSpot ever answered: a setting to fix, which retries would not change.
          throw new AbortError(new HubspotUnreachableError(action, networkDetail(err, secrets()), config.basePath));
        }
        if (translated instanceof HubspotUnavailableError && !options.noRetry) {
          throw Object.assign(translated, { retryReason: typeof status === 'number' && status > 0 ? `HTTP ${status}` : (networkCode(err) ?? 'no answer') });
        }
        throw new AbortError(translated);
      }
    };

    return pRetry(attempt, {
      retries: config.retry.retries + config.retry.maxRateLimitWaits + 1,
      minTimeout: config.retry.minDelayMs,
      maxTimeout: config.retry.maxDelayMs,
      factor: 2,
      randomize: true,
      unref: true,
      // A 429 waits out Retry-After inside the limiter (which holds every other request too);
      // it neither uses up a retry nor adds back-off on top.
      shouldConsumeRetry: ({ error }) => !(error instanceof RateLimited || error instanceof TokenRefreshed),
      onFailedAttempt: ({ error, retriesConsumed }) => {
        // Said while it waits: a CRM that is down must not look like a hang for the whole back-off.
        const reason = (error as { retryReason?: unknown }).retryReason;
        if (typeof reason !== 'string' || retriesConsumed >= config.retry.retries) return;
        caller.onNote?.(retryNote('HubSpot', reason, action, retriesConsumed + 1, config.retry.retries, longestWaitMs(config.retry, retriesConsumed + 1)));
      },
      shouldRetry: ({ error, retriesConsumed }) =>
        error instanceof RateLimited || error instanceof TokenRefreshed || retriesConsumed < config.retry.retries,
    }).catch((err: unknown) => {
      if (err instanceof RateLimited) throw new HubspotRateLimitError(action, rateLimitWaits);
      if (err instanceof TokenRefreshed) throw new HubspotAuthError(action);
      throw err;
    });
  }

  return caller;
}

class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super('rate limited');
  }
}

class TokenRefreshed extends Error {}

const isDaily = (err: SdkError) => (err.body as { policyName?: unknown } | undefined)?.policyName === 'DAILY';

function dailyLimitOf(err: SdkError): number | null {
  const limit = Number(err.headers?.['x-hubspot-ratelimit-daily']);
  return Number.isInteger(limit) && limit > 0 ? limit : null;
}

function retryAfterMs(err: SdkError, fallbackMs: number): number {
  const header = err.headers?.['retry-after'];
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : fallbackMs;
}

/** The network error's own words (no HTTP answer), without the secrets it may quote. */
function networkDetail(err: unknown, secrets: Array<string | undefined>): string {
  return redact(String((err as { message?: unknown }).message ?? err), secrets);
}

/**
 * A token refresh HubSpot answered with a refusal (a wrong client secret, a dead refresh token)
 * is refused the same on every retry: it ends the call at once, where the back-off kept the
 * cycle waiting half a minute, silently, before saying so. Only an unanswered one is retried.
 */
function refusedTokenIsFinal(err: unknown): never {
  if (err instanceof HubspotError && !(err instanceof HubspotUnavailableError)) throw new AbortError(err);
  throw err;
}

/** Turns an SDK or network failure into one of our errors, worded for the admin.
 * The raw failure is never attached as `cause`: its message can hold a token (node-fetch puts
 * the request URL in it, and HubSpot's token-info URL carries the token), and loggers print causes.
 */
export function translate(err: unknown, action: string, secrets: Array<string | undefined>): HubspotError {
  if (err instanceof HubspotError) return err;
  const sdk = err as SdkError & { message?: string; type?: string; errno?: string };
  const status = typeof sdk.code === 'number' ? sdk.code : 0;
  if (status === 0) return new HubspotUnavailableError(action, networkDetail(err, secrets), 0);
  const body = (sdk.body ?? {}) as { message?: string; category?: string; errors?: Array<{ context?: Record<string, string[]> }> };
  const crmMessage = redact(typeof body.message === 'string' ? body.message : `HTTP ${status}`, secrets);
  if (status === 401) return new HubspotAuthError(action);
  if (status === 403 && body.category === 'MISSING_SCOPES') return new HubspotScopeError(action, missingScopes(body));
  if (status >= 500) return new HubspotUnavailableError(action, crmMessage, status);
  return new HubspotRequestError(action, status, crmMessage, body.category, missingProperties(body));
}

function missingScopes(body: { errors?: Array<{ context?: Record<string, string[]> }> }): string[] {
  const scopes = new Set<string>();
  for (const detail of body.errors ?? []) {
    for (const key of ['requiredGranularScopes', 'requiredScopes', 'requiredAllScopes', 'requiredAnyScopes']) {
      for (const scope of detail.context?.[key] ?? []) scopes.add(scope);
    }
  }
  return [...scopes];
}


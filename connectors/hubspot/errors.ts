import { LeadliftError } from '../../src/domain/errors.js';
import { maskUrlCredentials } from '../shared/url-credentials.js';
import { CONNECT_HUBSPOT } from './connect-words.js';
import { resetWords } from './reset-words.js';

/**
 * What can go wrong talking to HubSpot, each worded for the CRM admin who has to fix it. No
 * message ever includes the access token (callers pass text through `redact`).
 */

export class HubspotError extends LeadliftError {
  /** HTTP status, or 0 when HubSpot could not be reached. */
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, 1, options);
    this.status = status;
  }
}

/** 401: the token is wrong, expired or revoked. */
export class HubspotAuthError extends HubspotError {
  constructor(action: string) {
    super(
      `HubSpot rejected the access token while ${action} (401). To reconnect leadlift, ${CONNECT_HUBSPOT} again, ` +
        'or set HUBSPOT_ACCESS_TOKEN to a current private-app token (HubSpot > Settings > Integrations > Private apps).',
      401,
    );
  }
}

/**
 * 403 MISSING_SCOPES: the app was installed without a scope it needs. HubSpot lists the scopes
 * as "one or more of the following", so several named are alternatives, any one enough.
 */
export class HubspotScopeError extends HubspotError {
  readonly scopes: string[];
  constructor(action: string, scopes: string[]) {
    const which =
      scopes.length === 0 ? 'a scope it needs' : scopes.length === 1 ? `the scope ${scopes[0]}` : `a scope it needs (any one of ${scopes.join(', ')})`;
    super(
      `HubSpot refused ${action}: the app lacks ${which}. Add it to the private app's scopes ` +
        '(or reinstall the OAuth app so it asks for the scopes in manifest.json) and try again.',
      403,
    );
    this.scopes = scopes;
  }
}

/** 429s kept coming after every allowed wait. */
export class HubspotRateLimitError extends HubspotError {
  constructor(action: string, waits: number) {
    super(
      `HubSpot kept answering "too many requests" while ${action}, after ${waits} waits. Other apps may be using the portal's ` +
        'API allowance: lower hubspot.rateLimit.share or run the sync at a quieter time.',
      429,
    );
  }
}

/**
 * 429 DAILY: the portal's daily allowance for private apps is spent (OAuth apps have none).
 * Nothing HubSpot answers before it resets, so the call is not retried, as the SDK's own retry
 * decorator does not retry it either; the sync stops at its last stored page and a push leaves
 * the rest pending. `dailyLimit`: the allowance as HubSpot's X-HubSpot-RateLimit-Daily header
 * gave it, when it did, else the sync's usage read. `resetsAt` (ISO UTC): when it resets, from
 * the usage read at the start of the sync (daily-usage.ts); null when that read failed, as it
 * does once the allowance is spent (HubSpot refuses the usage endpoint too).
 */
export class HubspotDailyLimitError extends HubspotError {
  readonly dailyLimit: number | null;
  readonly resetsAt: string | null;
  constructor(action: string, dailyLimit: number | null, reset: { resetsAt: string; timeZone: string | null } | null = null) {
    const allowance = dailyLimit === null ? '' : ` (${dailyLimit.toLocaleString('en-US')} requests a day)`;
    const when = reset ? `HubSpot resets it at ${resetWords(reset.resetsAt, reset.timeZone)}` : "HubSpot resets it at midnight in the portal's time zone (as set in its account defaults)";
    const next = reset ? 'the first run after the reset' : 'the first run after that';
    super(
      `HubSpot refused ${action}: the portal's daily API limit for private apps${allowance}, which every private app in the portal ` +
        `draws on, is spent. ${when}. Nothing was lost: what the sync read is stored and scores not yet written stay pending, ` +
        `and ${next} resumes from the last checkpoint. To need fewer requests a day, run the sync less often.`,
      429,
    );
    this.dailyLimit = dailyLimit;
    this.resetsAt = reset?.resetsAt ?? null;
  }
}

/**
 * 5xx or network failures that outlasted the retries. `detail` is the network error (status 0)
 * or HubSpot's own message: a server that answered was reached, so only status 0 says otherwise.
 */
export class HubspotUnavailableError extends HubspotError {
  constructor(action: string, detail: string, status: number, options?: { cause?: unknown; advice?: string; what?: string }) {
    const what = options?.what ?? (status === 0 ? `HubSpot could not be reached while ${action}` : `HubSpot answered ${status} (a server error) while ${action}`);
    super(`${what}: ${asSentence(detail)} ${options?.advice ?? 'Nothing was lost; the next run resumes from the last checkpoint.'}`, status, options);
  }
}

/**
 * Refused at the very first request (ECONNREFUSED before HubSpot ever answered): nothing listens
 * at the configured address, a setting to fix that the next run would not change, so it names
 * HUBSPOT_BASE_URL. Still a HubspotUnavailableError: callers that handle "not reachable" handle it.
 */
export class HubspotUnreachableError extends HubspotUnavailableError {
  /** The address as shown: any user:password@ in HUBSPOT_BASE_URL is masked (url-credentials.ts). */
  readonly basePath: string;
  constructor(action: string, detail: string, basePath: string, options?: { cause?: unknown }) {
    const shown = maskUrlCredentials(basePath);
    super(action, detail, 0, { ...options, advice: `Nothing answers at ${shown}: check HUBSPOT_BASE_URL (and that this machine can reach it). Nothing was lost.` });
    this.basePath = shown;
  }
}

/**
 * HubSpot took the connection and did not answer in time (oauth-deadline.ts): the request was
 * given up and its connection closed, so nothing waits on it any more (an install page held
 * open forever, before). `advice` says what the admin does next, which depends on the step.
 * Still a HubspotUnavailableError (status 0): callers that handle "not reachable" handle it.
 */
export class HubspotTimeoutError extends HubspotUnavailableError {
  readonly timeoutMs: number;
  constructor(action: string, timeoutMs: number, advice: string) {
    // HubSpot was reached (it took the connection): "could not be reached" would send the admin to the network.
    super(action, `no answer within ${seconds(timeoutMs)}, so leadlift stopped waiting and closed the connection`, 0, { advice, what: `HubSpot did not answer while ${action}` });
    this.timeoutMs = timeoutMs;
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** HubSpot's messages often end with a full stop already; ours must not add a second. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Any other refusal (400, 404, 409 ...), with HubSpot's own message. */
export class HubspotRequestError extends HubspotError {
  readonly category: string | undefined;
  /** Properties a VALIDATION_ERROR says do not exist (PROPERTY_DOESNT_EXIST), if any. */
  readonly missingProperties: string[];
  constructor(action: string, status: number, crmMessage: string, category?: string, missingProperties: string[] = []) {
    super(`HubSpot refused ${action} (${status}${category ? ` ${category}` : ''}): ${crmMessage}`, status);
    this.category = category;
    this.missingProperties = missingProperties;
  }
}

/**
 * A write named one of the app's own contact properties and HubSpot says it does not exist
 * (deleted in the portal after install). No score can be written until it is back.
 */
export class HubspotPropertyMissingError extends HubspotError {
  readonly properties: string[];
  constructor(action: string, properties: string[], unwritten: number) {
    const several = properties.length > 1;
    super(
      `HubSpot refused ${action}: the contact propert${several ? 'ies' : 'y'} ${properties.join(', ')} ${several ? 'do' : 'does'} not exist ` +
        `in the portal (deleted after leadlift was installed?). Run the schema step again (\`npx leadlift run\` creates ${several ? 'them' : 'it'}); ` +
        `${unwritten} score${unwritten === 1 ? ' was' : 's were'} left unwritten and stay pending, so the next push writes them.`,
      400,
    );
    this.properties = properties;
  }
}

/** The search API did not narrow results the way the incremental pull relies on. */
export class HubspotSyncError extends HubspotError {
  constructor(message: string) {
    super(message, 0);
  }
}


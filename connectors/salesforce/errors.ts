import { LeadliftError } from '../../src/domain/errors.js';
import { redact } from '../shared/redact.js';
import { CONNECT_SALESFORCE } from './connect-words.js';
import { jwtRefusedAdvice } from './jwt-refused-words.js';

/**
 * What can go wrong talking to Salesforce, each worded for the admin who has to fix it. No
 * message ever carries an access or refresh token: Salesforce's own text goes through `redact`.
 */

export class SalesforceError extends LeadliftError {
  /** Salesforce's errorCode (INVALID_SESSION_ID, ...) or our own label for network failures. */
  readonly errorCode: string;
  constructor(message: string, errorCode: string, options?: { cause?: unknown }) {
    super(message, 1, options);
    this.errorCode = errorCode;
  }
}

/**
 * Salesforce refused the authorization: the saved OAuth grant (refresh token) is dead, or a JWT
 * bearer sign-in was turned down. The advice differs: an OAuth grant is renewed by installing
 * again, a JWT sign-in has nothing to reconnect and is fixed in the connected app or the settings.
 */
export class SalesforceGrantError extends SalesforceError {
  /** Salesforce's own description (error_description), already scrubbed of secrets. */
  readonly detail: string | undefined;
  constructor(detail?: string, flow: 'oauth' | 'jwt' = 'oauth') {
    const said = detail ? ` (Salesforce said: ${detail})` : '';
    super(
      flow === 'jwt'
        ? `Salesforce refused the JWT bearer sign-in (invalid_grant)${said}: ${jwtRefusedAdvice(detail)}`
        : `Salesforce refused the saved authorization (invalid_grant)${said}: to reconnect leadlift, ${CONNECT_SALESFORCE}.`,
      'invalid_grant',
    );
    this.detail = detail;
  }
}

/** INVALID_SESSION_ID with no way to refresh: the access token expired or was revoked. */
export class SalesforceSessionError extends SalesforceError {
  constructor(action: string) {
    super(
      `Salesforce rejected the session while ${action} (INVALID_SESSION_ID): the access token expired or was revoked. ` +
        `To reconnect leadlift, ${CONNECT_SALESFORCE}, or set SALESFORCE_ACCESS_TOKEN to a current session.`,
      'INVALID_SESSION_ID',
    );
  }
}

/**
 * INVALID_FIELD / INVALID_FIELD_FOR_INSERT_UPDATE on one of the app's own fields. The two need
 * different fixes: INVALID_FIELD means the integration user cannot see the field (it is missing,
 * or has no field-level security), INVALID_FIELD_FOR_INSERT_UPDATE that it can read the field but
 * not edit it (Read Access granted without Edit Access), so running the schema step again is no use.
 */
export class SalesforceFieldAccessError extends SalesforceError {
  readonly fields: string[];
  constructor(action: string, fields: string[], crmMessage: string, errorCode: string) {
    const list = fields.join(', ');
    const said = crmMessage.replace(/\.\s*$/, '');
    super(
      errorCode === 'INVALID_FIELD_FOR_INSERT_UPDATE'
        ? `Salesforce refused ${action} (${errorCode}): ${said}. The integration user can read the leadlift fields ${list} but not edit them: ` +
          'grant field-level security (Read and Edit) on them to the integration user\'s profile or permission set (Setup > Object Manager > ' +
          'the object > Fields & Relationships > the field > Set Field-Level Security: tick Edit Access, not only Read Access). The scores stay pending until then.'
        : `Salesforce refused ${action} (${errorCode}): ${said}. The leadlift fields ${list} are missing or not ` +
          'editable by the integration user: run the schema step again (`npx leadlift run` creates them), then grant ' +
          'field-level security (Read and Edit) on them to the integration user\'s profile or permission set.',
      errorCode,
    );
    this.fields = fields;
  }
}

/**
 * The refusal a write's per-record error (a SaveResult's, or a Bulk API row's) is when it names the
 * app's own fields as not writable: no record can be written until the admin grants Edit, so the
 * push stops with what to grant instead of marking every score failed for good.
 */
export function fieldAccessRefusal(action: string, code: string, message: string, fields: string[], ownFields: string[]): SalesforceFieldAccessError | null {
  if (code !== 'INVALID_FIELD_FOR_INSERT_UPDATE' && code !== 'INVALID_FIELD') return null;
  const named = ownFieldsIn(message, fields, ownFields);
  return named.length > 0 ? new SalesforceFieldAccessError(action, named, message, code) : null;
}

/** Our share of DailyApiRequests is spent (or Salesforce says the org's is): stop, nothing lost. */
export class SalesforceApiBudgetError extends SalesforceError {
  readonly unwritten: number;
  /**
   * The message leaves the count to `unwritten`: the loop pushes in chunks and says once how many
   * of the whole push were left. Salesforce counts DailyApiRequests over a rolling 24 hours, so
   * no time can be promised: requests free up as those sent a day earlier age out.
   */
  constructor(detail: string, unwritten: number) {
    super(
      `Stopped to stay within the Salesforce API allocation: ${detail}. The scores not written stay pending: the next run writes them once the org's daily allowance has room again ` +
        '(Salesforce counts API requests over a rolling 24 hours, so they free up as those sent a day earlier age out), or raise SALESFORCE_API_SHARE if this org can spare more.',
      'REQUEST_LIMIT_EXCEEDED',
    );
    this.unwritten = unwritten;
  }
}

/** 5xx or network failures that outlasted the retries. `what` and `advice` replace the default words around `detail`. */
export class SalesforceUnavailableError extends SalesforceError {
  constructor(action: string, detail: string, errorCode: string, options?: { cause?: unknown; what?: string; advice?: string }) {
    const what = options?.what ?? `Salesforce could not be reached while ${action}`;
    const advice = options?.advice ?? 'Nothing was lost; the next run resumes from the last checkpoint.';
    super(`${what}: ${detail}. ${advice}`, errorCode, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * Salesforce's token endpoint took the connection and did not answer in time (oauth-deadline.ts):
 * the request was given up and its connection closed. `advice` says what the admin does next,
 * which depends on the step. Still a SalesforceUnavailableError, so a refresh that timed out is
 * retried like any network failure. No cause: jsforce's error quotes the request URL.
 */
export class SalesforceTimeoutError extends SalesforceUnavailableError {
  readonly timeoutMs: number;
  constructor(action: string, timeoutMs: number, advice: string) {
    // Salesforce was reached (it took the connection): "could not be reached" would send the admin to the network.
    super(action, `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`}, so leadlift stopped waiting and closed the connection`, 'TIMEOUT', {
      what: `Salesforce did not answer while ${action}`,
      advice,
    });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The words put on each score of a Bulk API 2.0 job Salesforce accepted but whose outcome
 * leadlift could not read; the scores stay pending while the job id is kept.
 */
export function bulkJobPendingMessage(jobId: string, scores: number, detail: string): string {
  return `Salesforce accepted Bulk API 2.0 job ${jobId} for ${scores} score${scores === 1 ? '' : 's'} but leadlift could not learn its outcome (${detail}). ` +
    'Nothing is lost or written twice: the next run reads that job\'s results first and sends only what it did not write ' +
    '(Setup > Bulk Data Load Jobs shows the job meanwhile).';
}

/**
 * The words put on each score of a Bulk API 2.0 job still Open, UploadComplete or InProgress
 * when the push stopped waiting (`waitedMs`), or when a later push checked it once (0).
 */
export function bulkJobRunningMessage(jobId: string, state: string, waitedMs: number): string {
  const seen = waitedMs > 0 ? `It was ${state} after leadlift waited ${Math.round(waitedMs / 1000)} s` : `It was ${state} when leadlift checked it`;
  return `Salesforce is still processing Bulk API job ${jobId}; its results are read on the next run. ` +
    `${seen}; nothing is sent again meanwhile ` +
    '(Setup > Bulk Data Load Jobs shows its progress; SALESFORCE_BULK_POLL_TIMEOUT_MS sets how long a run waits for a job it created).';
}

/** Any other refusal, with Salesforce's own message. */
export class SalesforceRequestError extends SalesforceError {
  constructor(action: string, errorCode: string, crmMessage: string) {
    super(`Salesforce refused ${action} (${errorCode}): ${crmMessage}`, errorCode);
  }
}

/** The shape jsforce rejects with: HttpApiError (errorCode, data) or an OAuth error (name). */
interface JsforceFailure {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
  data?: { errorCode?: string; message?: string; fields?: string[] };
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
const TRANSIENT_CODES = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'UNABLE_TO_LOCK_ROW', 'QUERY_TIMEOUT', 'REQUEST_RUNNING_TOO_LONG']);

/**
 * jsforce parses Salesforce's JSON error array only for JSON requests: on the Bulk API's CSV
 * result endpoints it rejects with ERROR_HTTP_<status> and the array as text, which would hide
 * REQUEST_LIMIT_EXCEEDED and friends. Read the array out of the text in that case.
 */
function failureOf(err: unknown): JsforceFailure {
  const f = err as JsforceFailure;
  if (!/^ERROR_HTTP_\d{3}$/.test(f?.errorCode ?? '') || !f.message?.trimStart().startsWith('[')) return f;
  try {
    const [first] = JSON.parse(f.message) as Array<{ errorCode?: unknown; message?: unknown }>;
    if (typeof first?.errorCode !== 'string') return f;
    return { errorCode: first.errorCode, message: String(first.message ?? '') };
  } catch {
    return f;
  }
}

/** True for failures that may pass on their own: retry them. */
export function isTransient(err: unknown): boolean {
  if (err instanceof SalesforceUnavailableError) return true;
  if (err instanceof SalesforceError) return false;
  const f = failureOf(err);
  const code = f.errorCode ?? f.data?.errorCode ?? '';
  if (TRANSIENT_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code)) return true;
  // Salesforce has no 429: a busy org answers REQUEST_LIMIT_EXCEEDED for concurrent long
  // transactions, which passes; "TotalRequests" is the daily allocation, which does not.
  if (code === 'REQUEST_LIMIT_EXCEEDED') return !isDailyLimit(f);
  if (f.code && NETWORK_CODES.has(f.code)) return true;
  const text = `${f.message ?? ''} ${String((f as { cause?: { code?: string } }).cause?.code ?? '')}`;
  return /socket hang up|fetch failed|network|ECONNRESET|ECONNREFUSED|terminated|other side closed/i.test(text);
}

/** Salesforce's errorCode on a failure, read the same way for JSON and Bulk CSV endpoints. */
export function errorCodeOf(err: unknown): string | undefined {
  const f = failureOf(err);
  return f?.errorCode ?? f?.data?.errorCode;
}

export function isDailyLimit(err: unknown): boolean {
  const f = failureOf(err);
  const code = f.errorCode ?? f.data?.errorCode;
  return code === 'REQUEST_LIMIT_EXCEEDED' && /TotalRequests/i.test(f.message ?? f.data?.message ?? '');
}

/**
 * Turns a jsforce failure into one of our errors, worded for the admin. `ownFields` are the app's
 * field names: an INVALID_FIELD naming one of them means the schema step or field-level security
 * is missing, not a bug.
 */
export function translate(err: unknown, action: string, secrets: Array<string | undefined | null>, ownFields: string[] = []): SalesforceError {
  if (err instanceof SalesforceError) return err;
  const f = failureOf(err);
  const clean = (text: string) => redact(text, secrets.filter((s): s is string => !!s));
  const code = f.errorCode ?? f.data?.errorCode ?? (f.name === 'invalid_grant' ? 'invalid_grant' : '');
  const message = clean(String(f.data?.message ?? f.message ?? err));
  if (code === 'invalid_grant') return new SalesforceGrantError(message);
  if (code === 'INVALID_SESSION_ID') return new SalesforceSessionError(action);
  if (code === 'INVALID_FIELD' || code === 'INVALID_FIELD_FOR_INSERT_UPDATE' || code === 'FIELD_INTEGRITY_EXCEPTION') {
    const named = ownFieldsIn(message, f.data?.fields ?? [], ownFields);
    if (named.length > 0) return new SalesforceFieldAccessError(action, named, message, code);
  }
  if (isTransient(err)) return new SalesforceUnavailableError(action, message, code || 'NETWORK');
  return new SalesforceRequestError(action, code || 'UNKNOWN', message);
}

/**
 * Where Salesforce names the fields an error is about: its fields list, and the phrases its
 * messages put them in. Nothing else in the text counts: an INVALID_FIELD from a query quotes the
 * query line, whose select list carries leadlift's own fields beside the one Salesforce refused.
 */
const NAMING_PHRASES = [
  /No such column '([^']+)'/g,
  /Unable to create\/update fields: ([^.]+)\./g,
  /Field name not found : ([\w.]+)/g,
];

/** The app's own fields an error names (in its fields list, or where its message names fields). */
export function ownFieldsIn(message: string, fields: string[], ownFields: string[]): string[] {
  const named = new Set(fields.map((x) => x.toLowerCase()));
  for (const phrase of NAMING_PHRASES) {
    for (const match of message.matchAll(phrase)) {
      for (const name of match[1].split(',')) named.add(name.trim().toLowerCase());
    }
  }
  return ownFields.filter((name) => named.has(name.toLowerCase()));
}

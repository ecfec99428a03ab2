import { OAuth2 } from 'jsforce';
import { maskUrlCredentials } from '../shared/url-credentials.js';
import { SalesforceTimeoutError } from './errors.js';

/**
 * How long a request to Salesforce's token endpoint (code exchange, refresh, JWT) may take. It
 * answers in well under a second; one that takes the connection and never answers would
 * otherwise hold its caller for jsforce's own limit of 30 minutes: the install callback (the
 * admin's browser spinning) or a cycle refreshing its session. HubSpot's twin: HUBSPOT_OAUTH_TIMEOUT_MS.
 */
export const SALESFORCE_OAUTH_TIMEOUT_MS = 10_000;

/** What a refresh that timed out leaves to do (the install's refresh and the connector's session alike). */
export const REFRESH_ADVICE =
  'The stored tokens are kept and the next run refreshes again; if this repeats, check that this server reaches {loginUrl} (SALESFORCE_LOGIN_URL, or a proxy or firewall between them).';

type OAuth2Config = ConstructorParameters<typeof OAuth2>[0];
type HttpRequestArgs = Parameters<OAuth2['_transport']['httpRequest']>;

/**
 * jsforce's OAuth2 whose token requests give up after `timeoutMs`. jsforce sends them with no
 * request options, so its fetch waits up to 30 minutes; its transport does take a `timeout`,
 * which aborts the fetch and so closes the socket. jsforce has no setting for it but a global
 * default (every Connection's requests too), hence the one instance's transport is wrapped.
 */
export function oauth2WithDeadline(config: OAuth2Config, timeoutMs: number): OAuth2 {
  const oauth2 = new OAuth2(config);
  const transport = oauth2._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req: HttpRequestArgs[0], options?: HttpRequestArgs[1]) => send(req, { ...options, timeout: timeoutMs });
  return oauth2;
}

/** What an OAuth step needs to say, should Salesforce not answer in time. */
export interface DeadlineWords {
  /** "exchanging the OAuth code for tokens" */
  action: string;
  /** The login URL the request went to; shown with any user:password@ masked. */
  loginUrl: string;
  timeoutMs: number;
  /** What the admin does next; `{loginUrl}` is replaced with the masked address. */
  advice: string;
}

/**
 * `send`'s result, or a SalesforceTimeoutError at the deadline. The transport's own abort
 * (oauth2WithDeadline) closes the socket at the same moment; either way the caller gets our
 * error, never jsforce's AbortError, whose message quotes neither a fix nor the step.
 */
export async function withinSalesforceDeadline<T>(words: DeadlineWords, send: () => Promise<T>): Promise<T> {
  const timeout = () => new SalesforceTimeoutError(words.action, words.timeoutMs, words.advice.replace('{loginUrl}', maskUrlCredentials(words.loginUrl)));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), words.timeoutMs);
  });
  try {
    // The losing promise's rejection (the aborted fetch) is handled by the race: never unhandled.
    return await Promise.race([send(), deadline]);
  } catch (err) {
    throw isAbort(err) ? timeout() : err;
  } finally {
    clearTimeout(timer);
  }
}

function isAbort(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'AbortError';
}

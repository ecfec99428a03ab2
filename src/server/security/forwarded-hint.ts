import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ServerSettings } from '../settings.js';
import { TRUST_PROXY_ADVICE } from './trust-proxy.js';

/**
 * Behind a reverse proxy with LEADLIFT_TRUST_PROXY unset, every request seems to come from the
 * proxy: all clients share one login limit (ten failed logins from anyone lock every admin out
 * for 15 minutes) and one metrics token limit, and with an https public URL no session cookie
 * is ever set. A request carrying X-Forwarded-For is the sign; it is said once per process (a
 * client can send the header too, so it is a hint, not a fact), with no address or header value.
 */
export function forwardedWithoutTrustHint(settings: Pick<ServerSettings, 'trustProxy'>, logger: Logger): RequestHandler {
  let said = false;
  return (req, _res, next) => {
    if (!said && settings.trustProxy === false && req.get('x-forwarded-for') !== undefined) {
      said = true;
      logger.warn(
        `A request arrived with X-Forwarded-For while LEADLIFT_TRUST_PROXY is not set. If leadlift runs behind a reverse proxy, ${TRUST_PROXY_ADVICE}: until then every client counts as the proxy for the login limit and the metrics token limit, and with an https LEADLIFT_PUBLIC_URL no login can work. Without a proxy, ignore this: a client sent the header itself.`,
      );
    }
    next();
  };
}

import type { Request, RequestHandler } from 'express';
import type { ServerSettings } from '../settings.js';
import { loginPage } from '../views/login.js';
import { TRUST_PROXY_ADVICE } from './trust-proxy.js';

/**
 * With an https LEADLIFT_PUBLIC_URL the session cookie is marked Secure, and cookie-session
 * silently sends none on a request express does not see as https. Behind a TLS proxy that is
 * every request until LEADLIFT_TRUST_PROXY lets express read X-Forwarded-Proto: the login form's
 * CSRF token then never comes back, and the admin read "CSRF check failed" with no hint why.
 */
export function secureCookieProblem(settings: Pick<ServerSettings, 'secureCookies' | 'trustProxy'>, req: Request): string | null {
  if (!settings.secureCookies || req.secure) return null;
  const fix =
    settings.trustProxy === false
      ? `If TLS ends at a reverse proxy, ${TRUST_PROXY_ADVICE} on the server and restart leadlift; otherwise open leadlift at its https address.`
      : 'LEADLIFT_TRUST_PROXY is set, but the proxy it trusts did not send X-Forwarded-Proto: https: check that the proxy sends it and that the setting counts every proxy in front.';
  return `leadlift's public URL (LEADLIFT_PUBLIC_URL) is https, but this request reached it as plain http, so the browser is given no login cookie and logging in cannot work. ${fix}`;
}

/**
 * Mounted before the CSRF check: a form posted where no session cookie can be set would fail it
 * only because of the set-up, so it is answered with the reason instead (the login page shows
 * it). Webhooks need no cookie and pass.
 */
export function explainMissingSecureCookie(settings: Pick<ServerSettings, 'secureCookies' | 'trustProxy'>): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.path.startsWith('/webhooks/')) return next();
    const problem = secureCookieProblem(settings, req);
    if (!problem) return next();
    if (req.path === '/login') return void res.status(403).type('html').send(loginPage({ csrf: '', next: '/admin', disabled: false, error: problem }).value);
    res.status(403).type('text/plain').send(problem);
  };
}

import cookieSession from 'cookie-session';
import type { Request, RequestHandler } from 'express';
import type { ServerSettings } from '../settings.js';

/** What the signed session cookie holds: no secrets, only who is logged in and the CSRF token. */
export interface AdminSession {
  user?: string;
  csrf?: string;
  /** Epoch ms of login: the session ends SESSION_HOURS later whatever the cookie says. */
  since?: number;
}

export const SESSION_COOKIE = 'leadlift_session';
export const SESSION_HOURS = 8;

/**
 * Sessions live in a cookie signed with LEADLIFT_SESSION_SECRET (HMAC; a tampered cookie is
 * dropped): httpOnly, SameSite=Lax, Secure when the public URL is https.
 */
export function sessionMiddleware(settings: ServerSettings): RequestHandler {
  return cookieSession({
    name: SESSION_COOKIE,
    keys: [settings.sessionSecret],
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
    maxAge: SESSION_HOURS * 3_600_000,
    path: '/',
  });
}

export function sessionOf(req: Request): AdminSession {
  return (req.session ?? {}) as AdminSession;
}

/**
 * The logged-in user, or null. The cookie's own expiry is only a hint to the browser: a copied
 * cookie would otherwise stay valid for ever, so the login time it carries is checked here.
 */
export function loggedInUser(req: Request, now = Date.now()): string | null {
  const s = sessionOf(req);
  if (!s.user) return null;
  if (typeof s.since !== 'number' || now - s.since > SESSION_HOURS * 3_600_000) {
    req.session = null;
    return null;
  }
  return s.user;
}

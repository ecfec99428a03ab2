import { randomBytes } from 'node:crypto';
import cookieSession from 'cookie-session';
import type { Request, RequestHandler } from 'express';
import type { EndedSessionsRepository } from '../../store/ended-sessions.js';
import type { ServerSettings } from '../settings.js';

/** What the signed session cookie holds: no secrets, only who is logged in and the CSRF token. */
export interface AdminSession {
  user?: string;
  csrf?: string;
  /** Epoch ms of login: the session ends SESSION_HOURS later whatever the cookie says. */
  since?: number;
  /** Random id given at login, so a logout can end this session (and only this one) on the server. */
  id?: string;
  /** The stamp of the admin credentials it logged in with (credential-stamp.ts): a password change ends it. */
  credentials?: string;
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

/**
 * A logged-in session as login creates it: a fresh id, so that logging out can end exactly it,
 * and the stamp of the credentials it logged in with.
 */
export function newSession(user: string, credentials: string, now = Date.now()): AdminSession {
  return { user, since: now, id: randomBytes(18).toString('base64url'), credentials };
}

/**
 * Ends the request's session for good: the cookie is cleared in this browser, and its id is
 * remembered until the session would have expired, so a copy of the cookie is refused too.
 */
export async function endSession(req: Request, ended: EndedSessionsRepository): Promise<void> {
  const s = sessionOf(req);
  if (s.id && typeof s.since === 'number') await ended.end(s.id, new Date(s.since + SESSION_HOURS * 3_600_000));
  req.session = null;
}

/**
 * Drops a session that logged out (or that carries no id, i.e. was made before sessions had one
 * and so cannot be ended) before any route sees it. A signed cookie cannot be recalled, so the
 * server checks the id against the store on every request that carries a login.
 */
export function refuseEndedSessions(ended: EndedSessionsRepository): RequestHandler {
  return (req, _res, next) => {
    const s = sessionOf(req);
    if (!s.user) return next();
    if (!s.id) {
      req.session = null;
      return next();
    }
    ended.isEnded(s.id).then(
      (isEnded) => {
        if (isEnded) req.session = null;
        next();
      },
      next,
    );
  };
}

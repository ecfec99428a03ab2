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
  /** Epoch ms of the last page opened or form sent (to the minute): the session ends IDLE_MINUTES after it. */
  seen?: number;
  /** Random id given at login, so a logout can end this session (and only this one) on the server. */
  id?: string;
  /** The stamp of the admin credentials it logged in with (credential-stamp.ts): a password change ends it. */
  credentials?: string;
}

export const SESSION_COOKIE = 'leadlift_session';
export const SESSION_HOURS = 8;
/**
 * A login left alone this long ends, inside its SESSION_HOURS too: an admin page left open on a
 * shared or unlocked computer stopped being a login after lunch, not at the end of the day.
 */
export const IDLE_MINUTES = 60;
/** How often `seen` is moved on: each move rewrites the cookie, so not on every request. */
const SEEN_STEP_MS = 60_000;

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
  // A session made before sessions carried `seen` counts from its login.
  const seen = typeof s.seen === 'number' ? s.seen : s.since;
  if (typeof s.since !== 'number' || now - s.since > SESSION_HOURS * 3_600_000 || typeof seen !== 'number' || now - seen > IDLE_MINUTES * 60_000) {
    req.session = null;
    return null;
  }
  return s.user;
}

/**
 * Moves a logged-in session's `seen` on for what a manager does: a page opened, a form sent, a
 * preview typed. The status polls of an open page (GET …json: the model page's activity, the
 * Connections page's status) are not someone at the keyboard, so a page left open still idles out.
 * An idle session is dropped here, before any route sees it.
 */
export function noteActivity(req: Request, _res: unknown, next: () => void, now = Date.now()): void {
  if (loggedInUser(req, now) && !(req.method === 'GET' && req.path.endsWith('.json'))) {
    const s = sessionOf(req);
    if (typeof s.seen !== 'number' || now - s.seen >= SEEN_STEP_MS) (req.session as AdminSession).seen = now;
  }
  next();
}

/**
 * A logged-in session as login creates it: a fresh id, so that logging out can end exactly it,
 * and the stamp of the credentials it logged in with.
 */
export function newSession(user: string, credentials: string, now = Date.now()): AdminSession {
  return { user, since: now, seen: now, id: randomBytes(18).toString('base64url'), credentials };
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

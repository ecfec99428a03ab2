import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { answerEndedSession } from './session-ended.js';
import { loggedInUser, sessionOf } from './session.js';

/**
 * Synchronizer-token CSRF protection: each session holds a random token; every form carries it
 * in a hidden `_csrf` field and every script request in the X-CSRF-Token header. A state-changing
 * request without the session's token is refused (403) before any route sees it.
 */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function csrfToken(req: Request): string {
  // A session dropped earlier in this request (logged out, expired) gets a fresh one for the form.
  if (!req.session) req.session = {};
  const session = sessionOf(req);
  if (!session.csrf) {
    session.csrf = randomBytes(32).toString('base64url');
    (req.session as Record<string, unknown>).csrf = session.csrf;
  }
  return session.csrf;
}

export function csrfProtection(options: { exempt: (req: Request) => boolean }): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || options.exempt(req)) return next();
    const expected = sessionOf(req).csrf;
    const sent = (req.body && typeof req.body[CSRF_FIELD] === 'string' ? req.body[CSRF_FIELD] : undefined) ?? req.get(CSRF_HEADER);
    if (expected && typeof sent === 'string' && sameText(expected, sent)) return next();
    // No login behind it: the session ended while the page was open (its token went with it). The
    // login form itself has no session to end, so it keeps the plain refusal.
    if (req.path !== '/login' && !loggedInUser(req)) return answerEndedSession(req, res);
    res.status(403).type('text/plain').send('This form has expired or did not come from leadlift (CSRF check failed). Reload the page and try again.');
  };
}

/** Constant-time comparison of two strings of any length. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare equal-length buffers always, so the time does not reveal the expected length either.
  const padded = Buffer.alloc(Math.max(x.length, y.length));
  x.copy(padded);
  const other = Buffer.alloc(padded.length);
  y.copy(other);
  return timingSafeEqual(padded, other) && x.length === y.length;
}

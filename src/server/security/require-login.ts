import type { RequestHandler } from 'express';
import { answerEndedSession } from './session-ended.js';
import { loggedInUser } from './session.js';

/**
 * Admin pages need a logged-in session: a page request is redirected to the login (and back
 * afterwards), a script request gets 401, a form post 401 with what happened (session-ended.ts). A session older than SESSION_HOURS,
 * or idle for IDLE_MINUTES (session.ts), counts as logged out.
 */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (loggedInUser(req)) return next();
  const accept = req.get('accept') ?? '';
  const wantsJson = req.path.endsWith('.json') || (accept.includes('application/json') && !accept.includes('text/html'));
  if (req.method !== 'GET') return answerEndedSession(req, res);
  if (wantsJson) return void res.status(401).json({ error: 'Log in to leadlift first.' });
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

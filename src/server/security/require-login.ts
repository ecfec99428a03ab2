import type { RequestHandler } from 'express';
import { sessionOf } from './session.js';

/**
 * Admin pages need a logged-in session: a page request is redirected to the login (and back
 * afterwards), a script request or a form post gets 401.
 */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (sessionOf(req).user) return next();
  const accept = req.get('accept') ?? '';
  const wantsJson = req.path.endsWith('.json') || (accept.includes('application/json') && !accept.includes('text/html'));
  if (wantsJson || req.method !== 'GET') return void res.status(401).json({ error: 'Log in to leadlift first.' });
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

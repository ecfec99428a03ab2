import type { Request, Response } from 'express';
import { messagePage } from '../views/message-page.js';
import { CSRF_HEADER, csrfToken } from './csrf.js';
import { IDLE_MINUTES, SESSION_HOURS } from './session.js';

/**
 * What a manager hears when a save, a retrain or a preview arrives after the session ended (its
 * SESSION_HOURS passed, or a logout, here or in another tab). It used to be a bare "CSRF check
 * failed" line or a raw JSON body: a manager who had spent a while on the tiers could not tell
 * whether anything was saved, nor what to do.
 */
export const SESSION_ENDED_MESSAGE = `Your leadlift session has ended (a login lasts ${SESSION_HOURS} hours, or ${IDLE_MINUTES} minutes without a page opened or a form sent; logging out ends it), so nothing was saved or started. Log in again, then make the change again.`;

export function answerEndedSession(req: Request, res: Response): void {
  const accept = req.get('accept') ?? '';
  const script = req.get(CSRF_HEADER) !== undefined || req.path.endsWith('.json') || req.is('application/json') || (accept.includes('application/json') && !accept.includes('text/html'));
  // 401, as for any request without a login: the page's scripts (tiers.js) show `error` as it is.
  if (script) return void res.status(401).json({ error: SESSION_ENDED_MESSAGE });
  res
    .status(401)
    .type('html')
    .send(messagePage({ title: 'Your session has ended', message: SESSION_ENDED_MESSAGE, csrf: csrfToken(req), back: { href: `/login?next=${encodeURIComponent(pageOf(req.path))}`, label: 'Log in again' } }).value);
}

/** The page a form on this path was posted from (helmet's no-referrer policy leaves no Referer to read). */
function pageOf(path: string): string {
  if (path.startsWith('/admin/model')) return '/admin/model';
  if (path.startsWith('/install')) return '/install';
  return '/admin';
}

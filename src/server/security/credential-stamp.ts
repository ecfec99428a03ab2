import { createHmac } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ServerSettings } from '../settings.js';
import { sameText } from './csrf.js';
import { sessionOf } from './session.js';

/**
 * Which admin credentials a session logged in with, so that changing LEADLIFT_ADMIN_PASSWORD
 * (because it leaked) or LEADLIFT_ADMIN_USER, or unsetting them, ends every session made
 * before. Without it a cookie signed with an unchanged LEADLIFT_SESSION_SECRET stayed a login
 * for its full SESSION_HOURS. The stamp is an HMAC keyed with the session secret: the cookie is
 * readable by whoever holds it, and must not let them test password guesses offline.
 * null: admin login is disabled, and no session counts.
 */
export function credentialStamp(settings: Pick<ServerSettings, 'admin' | 'sessionSecret'>): string | null {
  if (!settings.admin) return null;
  return createHmac('sha256', settings.sessionSecret)
    .update(`leadlift admin credentials\0${settings.admin.user}\0${settings.admin.password}`, 'utf8')
    .digest('base64url')
    .slice(0, 22);
}

/**
 * Drops a logged-in session whose stamp is not that of the credentials configured now (or that
 * has none: made before sessions carried one, it cannot be told apart), before any route sees it.
 */
export function refuseOtherCredentials(settings: Pick<ServerSettings, 'admin' | 'sessionSecret'>): RequestHandler {
  // The settings do not change while the process runs.
  const current = credentialStamp(settings);
  return (req, _res, next) => {
    const s = sessionOf(req);
    if (s.user && (current === null || typeof s.credentials !== 'string' || !sameText(s.credentials, current))) req.session = null;
    next();
  };
}

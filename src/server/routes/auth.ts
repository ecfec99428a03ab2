import { Router } from 'express';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { credentialStamp } from '../security/credential-stamp.js';
import { csrfToken, sameText } from '../security/csrf.js';
import { secureCookieProblem } from '../security/https-cookie.js';
import { loginRateLimit } from '../security/rate-limits.js';
import { endSession, loggedInUser, newSession } from '../security/session.js';
import { loginPage } from '../views/login.js';

const loginInput = z.object({ user: z.string().max(200), password: z.string().max(1000), next: z.string().max(2000).optional() }).passthrough();

/** Local admin login (LEADLIFT_ADMIN_USER / LEADLIFT_ADMIN_PASSWORD) and logout. */
export function authRoutes(deps: ServerDeps): Router {
  const router = Router();
  const admin = deps.settings.admin;

  router.get('/login', (req, res) => {
    const next = safeNext(typeof req.query.next === 'string' ? req.query.next : undefined);
    if (loggedInUser(req)) return res.redirect(303, next);
    // Said before the admin types a password that could not work (see https-cookie.ts).
    const error = admin ? (secureCookieProblem(deps.settings, req) ?? undefined) : undefined;
    res.type('html').send(loginPage({ csrf: csrfToken(req), next, disabled: !admin, error }).value);
  });

  router.post('/login', loginRateLimit(deps.store, deps.logger), (req, res) => {
    const parsed = loginInput.safeParse(req.body);
    const next = safeNext(parsed.success ? parsed.data.next : undefined);
    if (!admin) return res.status(503).type('html').send(loginPage({ csrf: csrfToken(req), next, disabled: true }).value);
    // Both compared in full every time, so timing says nothing about which part was wrong.
    const userOk = parsed.success && sameText(parsed.data.user, admin.user);
    const passwordOk = parsed.success && sameText(parsed.data.password, admin.password);
    if (!userOk || !passwordOk) {
      deps.logger.warn({ ip: req.ip }, 'admin login refused');
      return res
        .status(401)
        .type('html')
        .send(loginPage({ csrf: csrfToken(req), next, disabled: false, error: 'That user name and password do not match.', user: parsed.success ? parsed.data.user : '' }).value);
    }
    // A fresh session (and CSRF token) at login, so a token planted before login is useless.
    req.session = newSession(admin.user, credentialStamp(deps.settings)!);
    csrfToken(req);
    deps.logger.info({ user: admin.user }, 'admin logged in');
    res.redirect(303, next);
  });

  router.post('/logout', async (req, res, next) => {
    try {
      await endSession(req, deps.store.endedSessions);
      res.redirect(303, '/login');
    } catch (err) {
      next(err);
    }
  });

  return router;
}

/** Only a local path may follow the login, never another site. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/admin';
}

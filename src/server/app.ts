import { LeadliftError } from '../domain/errors.js';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import type { ServerDeps } from './deps.js';
import { adminLeadsRoutes } from './routes/admin-leads.js';
import { adminModelRoutes } from './routes/admin-model.js';
import { adminTierRoutes } from './routes/admin-tiers.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { installRoutes } from './routes/install.js';
import { staticRoutes } from './routes/static.js';
import { webhookRoutes } from './routes/webhooks.js';
import { refuseOtherCredentials } from './security/credential-stamp.js';
import { csrfProtection, csrfToken } from './security/csrf.js';
import { forwardedWithoutTrustHint } from './security/forwarded-hint.js';
import { explainMissingSecureCookie } from './security/https-cookie.js';
import { noStore } from './security/no-store.js';
import { requireLogin } from './security/require-login.js';
import { noteActivity, refuseEndedSessions, sessionMiddleware, sessionOf } from './security/session.js';
import { loggedFailure } from './logged-failure.js';
import { messagePage } from './views/message-page.js';

/**
 * The express app: health and metrics, CRM webhooks (signature-checked, raw body), static files,
 * then the session-backed admin pages behind login and CSRF checks.
 */
export function createApp(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.settings.trustProxy);
  app.use(forwardedWithoutTrustHint(deps.settings, deps.logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Pages load scripts, styles and chart.js from this server only.
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'upgrade-insecure-requests': deps.settings.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: deps.settings.secureCookies,
    }),
  );

  // Before anything that asks whether a CRM is connected (readiness, webhooks, pages): a CRM
  // another instance installed is connected here too, without a restart (stored-connections.ts).
  app.use((_req, _res, next) => void deps.storedConnections.pickUp().then(() => next()));
  app.use(healthRoutes(deps));
  app.use(webhookRoutes(deps));
  app.use(staticRoutes());

  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '100kb' }));
  app.use(sessionMiddleware(deps.settings));
  app.use(refuseEndedSessions(deps.store.endedSessions));
  app.use(refuseOtherCredentials(deps.settings));
  app.use((req, res, next) => noteActivity(req, res, next));
  app.use(explainMissingSecureCookie(deps.settings));
  app.use(csrfProtection({ exempt: (req) => req.path.startsWith('/webhooks/') }));
  app.use(authRoutes(deps));
  app.get('/', (_req, res) => res.redirect(303, '/admin'));
  app.use(['/admin', '/install'], noStore, requireLogin);
  app.use(adminTierRoutes(deps));
  app.use(adminModelRoutes(deps));
  app.use(adminLeadsRoutes(deps));
  app.use(installRoutes(deps));

  app.use((req, res) => {
    res.status(404).type('html').send(messagePage({ title: 'Not found', message: `There is no page at ${req.path}.`, csrf: csrfToken(req), user: sessionOf(req).user, back: { href: '/admin', label: 'Back to leadlift' } }).value);
  });
  app.use(errorHandler(deps));
  return app;
}

/** Failures are logged with their message and shown without internals (no stack, no secrets). */
function errorHandler(deps: ServerDeps): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    deps.logger.error({ path: req.path, status, err: loggedFailure(err) }, 'request failed');
    // Only our own errors are worded for admins and free of secrets; a driver's or an OAuth
    // library's message (a connection string, a token exchange) stays in the log.
    // A 404 raised below a route (a missing /static file, /static/ itself: no listing) reads as the app's own 404, not as a bad request.
    const message = status === 500 ? (err instanceof LeadliftError ? `Something went wrong: ${err.message}` : 'Something went wrong. The server log has the details.') : status === 404 ? `There is no page at ${req.path}.` : 'The request was not understood.';
    if (req.path.endsWith('.json') || req.path.startsWith('/webhooks/') || req.is('application/json')) return void res.status(status).json({ error: message });
    res.status(status).type('html').send(messagePage({ title: status === 500 ? 'Something went wrong' : status === 404 ? 'Not found' : 'Bad request', message, csrf: req.session ? csrfToken(req) : '', user: sessionOf(req).user, back: { href: '/admin', label: 'Back to leadlift' } }).value);
  };
}

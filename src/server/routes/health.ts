import { sql } from 'kysely';
import { Router } from 'express';
import type { CrmName } from '../../../connectors/types.js';
import type { ServerDeps } from '../deps.js';
import { refuseOtherCredentials } from '../security/credential-stamp.js';
import { markNoStore } from '../security/no-store.js';
import { readinessTokenAccess, refuse, requireMetricsAccess, tokenAttempt } from '../security/metrics-access.js';
import { metricsTokenRateLimit } from '../security/rate-limits.js';
import { loggedInUser, refuseEndedSessions, sessionMiddleware } from '../security/session.js';

/**
 * Liveness, readiness (store reachable; which CRMs have a model) and Prometheus metrics.
 * /healthz and the bare /readyz answer anyone (load-balancer probes); the readiness details and
 * /metrics need the metrics token (or, for /readyz, an admin session; for /metrics without a
 * token, a client on this machine).
 */
export function healthRoutes(deps: ServerDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => res.json({ status: 'ok' }));

  // One count for both routes: the same token can be guessed through either.
  const wrongTokenLimit = metricsTokenRateLimit((req) => tokenAttempt(deps.settings, req.get('authorization')), deps.logger, deps.store);

  // The app's session middleware comes after these routes; /readyz reads the admin cookie itself,
  // and checks it against the logged-out sessions and the credentials as every admin page does: a
  // copy of the cookie taken before a logout or a password change must not still show the details here.
  router.get('/readyz', wrongTokenLimit, sessionMiddleware(deps.settings), refuseEndedSessions(deps.store.endedSessions), refuseOtherCredentials(deps.settings), async (req, res) => {
    const byToken = readinessTokenAccess(deps.settings, req.get('authorization'));
    if (byToken !== 'none' && !byToken.allowed) return refuse(res, byToken);
    const detailed = byToken !== 'none' || loggedInUser(req) !== null;
    // The details are for the token or the admin, not for a cache; the bare answer is a probe's.
    if (detailed) markNoStore(res);
    try {
      await sql`select 1`.execute(deps.store.db);
    } catch (err) {
      deps.logger.error({ err: (err as Error).message }, 'store unreachable');
      return res.status(503).json(detailed ? { status: 'unavailable', store: 'unreachable' } : { ready: false });
    }
    if (!detailed) return res.json({ ready: true });
    const models: Record<string, { version: string; auc: number | null } | null> = {};
    for (const crm of ['hubspot', 'salesforce'] as CrmName[]) {
      const active = await deps.store.models.list(crm).then((l) => l.find((m) => m.status === 'active') ?? null);
      models[crm] = active ? { version: active.version, auc: typeof active.metrics.auc === 'number' ? active.metrics.auc : null } : null;
    }
    res.json({ status: 'ready', store: deps.store.kind, connected: deps.connections.list().map((c) => c.crm), models });
  });

  router.get('/metrics', wrongTokenLimit, requireMetricsAccess(deps.settings), async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}

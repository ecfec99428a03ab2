import { sql } from 'kysely';
import { Router } from 'express';
import type { CrmName } from '../../../connectors/types.js';
import type { ServerDeps } from '../deps.js';

/** Liveness, readiness (store reachable; which CRMs have a model) and Prometheus metrics. */
export function healthRoutes(deps: ServerDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => res.json({ status: 'ok' }));

  router.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(deps.store.db);
    } catch (err) {
      deps.logger.error({ err: (err as Error).message }, 'store unreachable');
      return res.status(503).json({ status: 'unavailable', store: 'unreachable' });
    }
    const models: Record<string, { version: string; auc: number | null } | null> = {};
    for (const crm of ['hubspot', 'salesforce'] as CrmName[]) {
      const active = await deps.store.models.list(crm).then((l) => l.find((m) => m.status === 'active') ?? null);
      models[crm] = active ? { version: active.version, auc: typeof active.metrics.auc === 'number' ? active.metrics.auc : null } : null;
    }
    res.json({ status: 'ready', store: deps.store.kind, connected: deps.connections.list().map((c) => c.crm), models });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}

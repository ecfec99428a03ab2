import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { CrmName } from '../../connectors/types.js';
import type { Store } from '../store/store.js';
import type { CrmConnections } from './crm-connections.js';

export interface ServerMetrics {
  registry: Registry;
  webhookEvents: Counter<'crm' | 'result'>;
  rescores: Counter<'crm'>;
}

/**
 * Prometheus metrics. Counts that outlive the process (runs, leads scored, model AUC) are read
 * from the store at scrape time, so a CLI run or a restart does not reset them; API calls and
 * rate-limited responses are the connectors' own counters since this process started.
 */
export function createMetrics(store: Store, connections: CrmConnections): ServerMetrics {
  const registry = new Registry();
  // No prefix: the defaults already carry their own (process_*, nodejs_*), the names Prometheus
  // dashboards and alerts for Node expect; a prefix would only be stuck in front of those.
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'leadlift_runs',
    help: 'Loop runs recorded in the store, by kind, CRM and status.',
    labelNames: ['kind', 'crm', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await store.db
        .selectFrom('runs')
        .select(['kind', 'crm', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['kind', 'crm', 'status'])
        .execute();
      for (const r of rows) this.set({ kind: r.kind, crm: r.crm ?? 'all', status: r.status }, Number(r.n));
    },
  });

  new Gauge({
    name: 'leadlift_leads_scored',
    help: 'Distinct leads that have been scored, per CRM.',
    labelNames: ['crm'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await store.db
        .selectFrom('scores')
        .select(['crm', sql<number>`count(distinct lead_id)`.as('n')])
        .groupBy('crm')
        .execute();
      for (const r of rows) this.set({ crm: r.crm }, Number(r.n));
    },
  });

  new Gauge({
    name: 'leadlift_scores_written',
    help: 'Scores written to the CRM (push confirmed) that the store still holds, per CRM: store.retention prunes old ones, so it can fall after a training.',
    labelNames: ['crm'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await store.db
        .selectFrom('scores')
        .select(['crm', (eb) => eb.fn.countAll<number>().as('n')])
        .where('push_status', '=', 'pushed')
        .groupBy('crm')
        .execute();
      for (const r of rows) this.set({ crm: r.crm }, Number(r.n));
    },
  });

  new Gauge({
    name: 'leadlift_model_auc',
    help: 'AUC of the active model on the newest closed leads it was evaluated on, per CRM.',
    labelNames: ['crm', 'version'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const crm of ['hubspot', 'salesforce'] as CrmName[]) {
        const active = await store.models.active(crm);
        if (active && typeof active.metrics.auc === 'number') this.set({ crm, version: active.version }, active.metrics.auc);
      }
    },
  });

  // The connectors count their own calls and 429s since this process started: counters (a restart
  // resets them, which rate() handles), so `_total` per Prometheus naming.
  for (const [name, help, field] of [
    ['leadlift_crm_api_calls_total', 'Requests sent to each CRM since this process started.', 'apiCalls'],
    ['leadlift_crm_rate_limited_total', 'Responses refusing a request for the CRM\'s rate or API limits (HubSpot HTTP 429, Salesforce REQUEST_LIMIT_EXCEEDED) since this process started.', 'rateLimited'],
  ] as const) {
    new Counter({
      name,
      help,
      labelNames: ['crm'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const c of connections.list()) {
          const usage = usageOf(c);
          if (usage) this.inc({ crm: c.crm }, usage[field]);
        }
      },
    });
  }

  new Gauge({
    name: 'leadlift_last_successful_cycle_timestamp_seconds',
    help: 'Unix time at which the last successful scoring cycle of each CRM finished: alert when it is too long ago (stale scores).',
    labelNames: ['crm'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await store.db
        .selectFrom('runs')
        .select(['crm', (eb) => eb.fn.max('finished_at').as('at')])
        .where('kind', '=', 'cycle')
        .where('status', '=', 'ok')
        .where('crm', 'is not', null)
        .groupBy('crm')
        .execute();
      for (const r of rows) if (r.crm && r.at) this.set({ crm: r.crm }, Date.parse(String(r.at)) / 1000);
    },
  });

  return {
    registry,
    webhookEvents: new Counter({
      name: 'leadlift_webhook_events_total',
      help: 'CRM webhook events received, by result (accepted, duplicate, ignored, other-portal, rejected, archived, forgotten, merged, failed).',
      labelNames: ['crm', 'result'] as const,
      registers: [registry],
    }),
    rescores: new Counter({ name: 'leadlift_rescores_total', help: 'Real-time rescores finished.', labelNames: ['crm'] as const, registers: [registry] }),
  };
}

/** Connectors may count what they sent (HubSpot's `usage`); the Connector contract does not require it. */
function usageOf(connector: object): { apiCalls: number; rateLimited: number } | null {
  const usage = (connector as { usage?: { apiCalls?: number; rateLimited?: number } }).usage;
  return usage && typeof usage.apiCalls === 'number' ? { apiCalls: usage.apiCalls, rateLimited: usage.rateLimited ?? 0 } : null;
}

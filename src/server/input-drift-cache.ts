import type { CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import { LEADS_STREAM, OUTCOMES_STREAM } from '../jobs/deps.js';
import type { Store } from '../store/store.js';
import { inputDrift, type InputDrift } from './input-drift.js';

/**
 * The longest a computed drift is shown. A few changes reach the open leads without a sync page
 * (a deleted contact archived by a webhook, a lead the push found gone); they show within this.
 */
export const DRIFT_CACHE_MS = 5 * 60_000;

export interface InputDriftCache {
  /** The model page's input drift for `crm`, recomputed only when the active model or the open leads changed. */
  get(crm: CrmName, now: number): Promise<InputDrift | null>;
  /** How many times the drift was computed rather than served from the cache. */
  readonly computations: number;
}

/**
 * Computing the drift reads up to 20,000 open leads through the model's pipeline (~250 ms at 8k
 * open leads), too much for every view of the model page; the result only changes with the
 * active model or the open leads, so it is kept per CRM until either moves.
 */
export function inputDriftCache(store: Store, config: AppConfig, manifest: Manifest): InputDriftCache {
  const entries = new Map<CrmName, { key: string; until: number; drift: Promise<InputDrift | null> }>();
  let computations = 0;
  return {
    get computations() {
      return computations;
    },
    async get(crm, now) {
      // Read before computing: whatever changes after this read changes the key the next view sees.
      const key = await freshnessKey(store, crm);
      const cached = entries.get(crm);
      if (cached && cached.key === key && now < cached.until) return cached.drift;
      computations++;
      // The promise is kept, so views arriving while it computes share the one computation.
      const drift = inputDrift(store, config, manifest, crm, now);
      entries.set(crm, { key, until: now + DRIFT_CACHE_MS, drift });
      drift.catch(() => {
        if (entries.get(crm)?.drift === drift) entries.delete(crm);
      });
      return drift;
    },
  };
}

/**
 * The active model's version and when the lead or outcome sync last stored a page. Every synced
 * page, whether from the scheduled cycle or a webhook's rescore, commits its checkpoint in the
 * same transaction as its records and outcomes (commitPage), so the checkpoint's updated_at moves
 * whenever the open leads may have; it is two rows per CRM, where max(records.synced_at) would
 * scan every lead.
 */
async function freshnessKey(store: Store, crm: CrmName): Promise<string> {
  const [active, synced] = await Promise.all([
    store.db.selectFrom('models').select('version').where('crm', '=', crm).where('status', '=', 'active').executeTakeFirst(),
    store.db
      .selectFrom('checkpoints')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .where('crm', '=', crm)
      .where('stream', 'in', [LEADS_STREAM, OUTCOMES_STREAM])
      .executeTakeFirst(),
  ]);
  return JSON.stringify([active?.version ?? null, synced?.at ?? null]);
}

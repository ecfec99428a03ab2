import { z } from 'zod';
import type { CrmName, ScoreFieldSpec } from '../../connectors/types.js';
import type { Tier } from '../config/tiers.js';
import type { Manifest } from '../domain/manifest.js';
import type { Store } from '../store/store.js';
import { LEAD_OBJECT, type LoopDeps } from './deps.js';
import type { CrmShownScores } from './crm-shown-scores.js';
import { scoreFieldSpecs } from './score-fields.js';

/**
 * Tier names the managers dropped that the CRM's tier field still offers, because leads may still
 * hold them there: removing an option first would leave those leads with a value their CRM no
 * longer lists (views and workflows on it break) until the rewrite. They live in the checkpoints
 * table, so a crash between the rewrite and the removal still removes them on the next push.
 */

export const RETIRING_STREAM = 'retiring-tier-options';

const stored = z.object({ options: z.array(z.string().min(1)) });

export async function loadRetiring(store: Store, crm: CrmName): Promise<string[]> {
  const parsed = stored.safeParse(await store.checkpoints.get(crm, RETIRING_STREAM));
  return parsed.success ? parsed.data.options : [];
}

async function saveRetiring(store: Store, crm: CrmName, options: readonly string[]): Promise<void> {
  if (options.length === 0) await store.checkpoints.clear(crm, RETIRING_STREAM);
  else await store.checkpoints.set(crm, RETIRING_STREAM, { options: [...options] });
}

/** Records the names `next` drops from `previous` as retiring; a name back in use stops retiring. Returns the retiring names. */
export async function retireTierOptions(store: Store, crm: CrmName, previous: readonly Tier[], next: readonly Tier[]): Promise<string[]> {
  const now = new Set(next.map((t) => t.name));
  const retiring = [...new Set([...(await loadRetiring(store, crm)), ...previous.map((t) => t.name)])].filter((n) => !now.has(n));
  await saveRetiring(store, crm, retiring);
  return retiring;
}

/** The fields to ensure: the current tiers as options, then the retiring ones still kept. */
export async function schemaFields(store: Store, manifest: Manifest, crm: CrmName, tiers: readonly Tier[]): Promise<ScoreFieldSpec[]> {
  return scoreFieldSpecs(manifest, crm, tiers, await loadRetiring(store, crm));
}

/**
 * After a push: removes the retiring options no lead holds any more in the CRM. Nothing is removed
 * while a score waits to be written (it may be the rewrite of a lead still showing the old name)
 * or while the scores came from tiers that still had the name (a cycle that scored before the
 * save). Held means an open lead's last written tier; a closed lead is no longer written to, so
 * it does not keep an option alive forever. Returns the names removed.
 */
export async function settleRetiringOptions(deps: LoopDeps, tiers: readonly Tier[], shown: CrmShownScores): Promise<string[]> {
  const { store, connector, manifest } = deps;
  const crm = connector.crm;
  const retiring = await loadRetiring(store, crm);
  if (retiring.length === 0) return [];
  const inTiers = new Set(tiers.map((t) => t.name));
  if (retiring.some((n) => inTiers.has(n))) return [];
  if ((await store.scores.pending(crm, { limit: 1 })).length > 0) return [];
  const held = await heldByOpenLeads(store, crm, shown, new Set(retiring));
  const removed = retiring.filter((n) => !held.has(n));
  if (removed.length === 0) return [];
  const kept = retiring.filter((n) => held.has(n));
  deps.signal?.throwIfAborted();
  await connector.ensureSchema(scoreFieldSpecs(manifest, crm, tiers, kept));
  await saveRetiring(store, crm, kept);
  return removed;
}

/**
 * The names among `names` that an open lead's last written tier still is. Only the leads `shown`
 * saw with a tier off the current ones can be such a lead; they are looked up again, since the
 * push may have written them since, and the CRM (or a webhook) may have deleted them.
 */
async function heldByOpenLeads(store: Store, crm: CrmName, shown: CrmShownScores, names: ReadonlySet<string>): Promise<Set<string>> {
  const held = new Set<string>();
  const ids = [...shown.offTier].filter(([, tier]) => names.has(tier)).map(([id]) => id);
  if (ids.length === 0) return held;
  const gone = await store.records.archivedAmong(crm, LEAD_OBJECT, ids);
  for (const [id, last] of await store.scores.lastPushed(crm, ids)) if (!gone.has(id) && names.has(last.tier)) held.add(last.tier);
  return held;
}

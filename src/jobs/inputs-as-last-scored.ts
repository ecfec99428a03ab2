import type { CrmName } from '../../connectors/types.js';
import type { Store } from '../store/store.js';
import { sameValues } from '../domain/same-values.js';

type Inputs = Readonly<Record<string, string | null>>;

/**
 * The input values of each lead's latest snapshot (what its latest score was computed from), for
 * the leads among `leadIds` that have one. `known` (an earlier answer in the same page) is reused
 * and returned with the rest, so a lead is looked up once however many questions ask about it.
 */
export async function lastScoredInputs(
  store: Pick<Store, 'snapshots'>,
  crm: CrmName,
  leadIds: readonly string[],
  known: ReadonlyMap<string, Inputs> = new Map(),
): Promise<Map<string, Inputs>> {
  const out = new Map(known);
  const missing = leadIds.filter((id) => !out.has(id));
  if (missing.length === 0) return out;
  for (const [id, snapshot] of await store.snapshots.latestOf(crm, missing)) out.set(id, snapshot.properties);
  return out;
}

/**
 * The leads among `candidates` whose input values are exactly those their latest score was
 * computed from (`last`, see lastScoredInputs). The CRM re-dates a lead when we write its score,
 * so a later modification date alone does not mean anything a score depends on has changed; and
 * a new score computed from such values needs no new snapshot (score.ts).
 */
export function inputsAsLastScored(last: ReadonlyMap<string, Inputs>, candidates: ReadonlyArray<{ leadId: string; inputs: Inputs }>): Set<string> {
  const same = new Set<string>();
  for (const { leadId, inputs } of candidates) {
    const before = last.get(leadId);
    if (before && sameValues(before, inputs)) same.add(leadId);
  }
  return same;
}

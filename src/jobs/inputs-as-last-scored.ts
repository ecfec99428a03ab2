import type { CrmName } from '../../connectors/types.js';
import type { Store } from '../store/store.js';
import { sameValues } from '../domain/same-values.js';

/**
 * The leads among `candidates` whose input values are exactly those their latest score was
 * computed from (its snapshot). The CRM re-dates a lead when we write its score, so a later
 * modification date alone does not mean anything a score depends on has changed.
 */
export async function inputsAsLastScored(
  store: Pick<Store, 'snapshots'>,
  crm: CrmName,
  candidates: ReadonlyArray<{ leadId: string; inputs: Record<string, string> }>,
): Promise<Set<string>> {
  const same = new Set<string>();
  if (candidates.length === 0) return same;
  const latest = await store.snapshots.latestOf(crm, candidates.map((c) => c.leadId));
  for (const { leadId, inputs } of candidates) {
    const before = latest.get(leadId)?.properties;
    if (before && sameValues(before, inputs)) same.add(leadId);
  }
  return same;
}

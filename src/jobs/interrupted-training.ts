import type { CrmName } from '../../connectors/types.js';
import type { Store } from '../store/store.js';

/**
 * What a train run left "running" by a killed process is closed with. A training stores its model
 * (and promotes it) in one transaction at its very end, so a kill almost always leaves nothing to
 * resume from: the admin needs to know which model serves and that a forced retrain is not done
 * again by itself. Killed in the instant between that commit and closing the run, the model is
 * there, and that is said instead.
 */
export async function interruptedTrainingReason(store: Store, crm: CrmName, died: string): Promise<string> {
  const running = (await store.runs.list({ kind: 'train', crm, limit: 10 })).filter((r) => r.status === 'running');
  const since = running.map((r) => r.startedAt).sort()[0];
  const active = await store.models.active(crm);
  const inService = active ? `model ${active.version} stays in service` : 'no model is in service yet';
  const stored = since ? (await store.models.list(crm)).find((m) => m.createdAt >= since) : undefined;
  if (stored) {
    return `interrupted during training: ${died}, just after storing model ${stored.version} (${stored.status === 'active' ? 'promoted: it is in service' : `not promoted; ${inService}`}); nothing needs doing again`;
  }
  return `interrupted during training: ${died}; nothing was stored or promoted (${inService}); run \`leadlift run --force-train\` again if you wanted a new model, otherwise training starts over the next time it is due`;
}

import { CRM_NAMES, type CrmName } from '../../connectors/types.js';
import type { StoredModel } from '../store/models.js';
import type { Store } from '../store/store.js';
import { cycleLockName } from './cycle.js';
import { CycleRunningError } from './cycle-lock-errors.js';
import { withCycleLock } from './cycle-lock.js';

export interface RollbackDone {
  /** The model active before (null when none was). */
  before: string | null;
  model: StoredModel;
}

export interface RollbackWait {
  /** How long a held lock is waited for: a rescore holds it for seconds, a cycle for minutes. */
  waitMs?: number;
  pollMs?: number;
}

/**
 * A manager's rollback, under the cycle's lock: a cycle mid-training would otherwise promote its
 * new model right after and undo the manager's choice. The lock is waited for a few seconds only
 * (a rescore lets go by then, a cycle may not for many minutes); past that CycleRunningError says
 * to try again, and nothing changes. Bad input is reported first, whatever is running.
 */
export async function rollbackUnderCycleLock(store: Store, crm: CrmName, toVersion?: string, wait: RollbackWait = {}): Promise<RollbackDone> {
  await store.models.rollbackTarget(crm, toVersion);
  const deadline = Date.now() + (wait.waitMs ?? 5000);
  for (;;) {
    const locked = await withCycleLock(store, cycleLockName(crm), async () => {
      const before = (await store.models.active(crm))?.version ?? null;
      return { before, model: await store.models.rollback(crm, toVersion) };
    });
    if (locked.acquired) return locked.value;
    if (Date.now() >= deadline) {
      const since = locked.holder ? ` (since ${locked.holder.acquiredAt})` : '';
      throw new CycleRunningError(
        `A scoring cycle for ${CRM_NAMES[crm]} is running${since}; nothing was rolled back. Try the rollback again in a few minutes, once it has finished.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs ?? 250));
  }
}

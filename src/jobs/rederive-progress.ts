import { z } from 'zod';
import type { CrmName, Cursor } from '../../connectors/types.js';
import { nowIso } from '../store/iso-time.js';
import type { Repositories } from '../store/store.js';

/**
 * Where a re-derive of every outcome under a changed rule stands between syncs (rederive-outcomes.ts):
 * the rule it reads under (by fingerprint, so a rule changed again mid-way is noticed), the CRM
 * position after the last page staged, and since when. Kept beside the sync cursors and written
 * with each staged page in one transaction, so the staged outcomes and their position never
 * disagree. The outcomes stream's own checkpoint is not moved until the swap.
 */
export const OUTCOME_REDERIVE_STREAM = 'outcome-rederive';

const progressSchema = z.object({
  fingerprint: z.string(),
  describe: z.string(),
  /** Null until a first page is staged. */
  cursor: z.record(z.unknown()).nullable(),
  startedAt: z.string(),
});

export type RederiveProgress = z.infer<typeof progressSchema>;

/**
 * The re-derive checkpoint, null when there is none; `progress` is null for a checkpoint this
 * version cannot read (its stage is dropped). Read once per sync: dropRederive reads it no more.
 */
export async function rederiveCheckpoint(store: Pick<Repositories, 'checkpoints'>, crm: CrmName): Promise<{ progress: RederiveProgress | null } | null> {
  const stored = await store.checkpoints.get(crm, OUTCOME_REDERIVE_STREAM);
  if (stored === null) return null;
  const parsed = progressSchema.safeParse(stored);
  return { progress: parsed.success ? parsed.data : null };
}

/** Records a page staged under the rule `fingerprint`; call inside the transaction that stages it. */
export async function recordRederiveProgress(
  tx: Pick<Repositories, 'checkpoints'>,
  crm: CrmName,
  progress: Omit<RederiveProgress, 'startedAt' | 'cursor'> & { cursor: Cursor; startedAt?: string },
): Promise<void> {
  await tx.checkpoints.set(crm, OUTCOME_REDERIVE_STREAM, { ...progress, startedAt: progress.startedAt ?? nowIso() } satisfies RederiveProgress);
}

/**
 * Drops a re-derive's stage and position in one transaction (done, or no longer wanted); returns
 * how many staged outcomes went. Reads nothing: the caller read the position (rederiveCheckpoint).
 */
export async function dropRederive(store: { transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> }, crm: CrmName): Promise<number> {
  return store.transaction(async (tx) => {
    const staged = await tx.stagedOutcomes.clear(crm);
    await tx.checkpoints.clear(crm, OUTCOME_REDERIVE_STREAM);
    return staged;
  });
}

import type { Cursor, Page } from '../../connectors/types.js';
import { LEAD_OBJECT, LEADS_STREAM, OUTCOMES_STREAM, type LoopDeps } from './deps.js';

export interface SyncResult {
  leads: number;
  outcomes: number;
  pages: number;
  /** What the connectors said about how they read the CRM (each also logged once). */
  notes: string[];
}

/**
 * Pulls leads and outcomes from where the last sync stopped. Each page and the cursor after it
 * are stored in one transaction (store.commitPage), so a crash anywhere resumes from the last
 * stored page: nothing is lost, and the replayed page is absorbed by the upserts.
 */
export async function syncFromCrm(deps: LoopDeps): Promise<SyncResult> {
  const { store, connector } = deps;
  const crm = connector.crm;
  let pages = 0;
  let received = 0;
  const notes: string[] = [];
  const tick = () => deps.onProgress?.('sync', received, received + 1);

  const drain = async <T>(stream: string, pull: (cursor: Cursor | null) => AsyncIterable<Page<T>>, objectType?: string): Promise<number> => {
    let count = 0;
    const cursor = await store.checkpoints.get(crm, stream);
    for await (const page of pull(cursor)) {
      deps.signal?.throwIfAborted();
      await store.commitPage(crm, stream, page.records as never, page.cursor, objectType ? { objectType } : undefined);
      for (const note of page.notes ?? []) {
        notes.push(note);
        deps.log?.(note);
      }
      pages += 1;
      count += page.records.length;
      received += page.records.length;
      tick();
    }
    return count;
  };

  // The streams are independent (each has its own checkpoint), so they are read side by side.
  // When one fails the other still finishes its page, so nothing runs on after the sync returns.
  const settled = await Promise.allSettled([
    drain(LEADS_STREAM, (c) => connector.pullLeads(c), LEAD_OBJECT),
    drain(OUTCOMES_STREAM, (c) => connector.pullOutcomes(c)),
  ]);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  const [leads, outcomes] = settled.map((r) => (r as PromiseFulfilledResult<number>).value);
  deps.onProgress?.('sync', received, received);
  return { leads, outcomes, pages, notes };
}

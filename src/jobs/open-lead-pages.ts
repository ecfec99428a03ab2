import type { StoredRecord } from '../store/records.js';
import { LEAD_OBJECT, type LoopDeps } from './deps.js';

/** Open leads read per store query: a page's matrix, scores and snapshots stay a few MB. */
export const OPEN_LEAD_PAGE = 2000;

/**
 * Every open lead (no outcome yet) of the connector's CRM, a page at a time in id order. Paged by
 * the last id seen rather than by offset, so a lead closed or added while the pages are read moves
 * no other lead across a page boundary.
 */
export async function* openLeadPages(deps: Pick<LoopDeps, 'store' | 'connector'>, pageSize = OPEN_LEAD_PAGE): AsyncGenerator<StoredRecord[]> {
  let afterId: string | undefined;
  for (;;) {
    const leads = await deps.store.records.listOpen(deps.connector.crm, LEAD_OBJECT, { afterId, limit: pageSize });
    if (leads.length === 0) return;
    afterId = leads[leads.length - 1].id;
    yield leads;
  }
}

/** The open leads among `ids`, a page at a time (a rescore of the leads a webhook named): closed, archived or unknown ids yield nothing. */
export async function* namedOpenLeadPages(deps: Pick<LoopDeps, 'store' | 'connector'>, ids: readonly string[], pageSize = NAMED_PAGE): AsyncGenerator<StoredRecord[]> {
  const wanted = [...new Set(ids)].sort();
  for (let i = 0; i < wanted.length; i += pageSize) {
    const leads = await deps.store.records.listOpen(deps.connector.crm, LEAD_OBJECT, { ids: wanted.slice(i, i + pageSize), limit: pageSize });
    if (leads.length > 0) yield leads;
  }
}

/** Ids per look-up of named leads: within the store's ids per query. */
const NAMED_PAGE = 500;

import type { Kysely } from 'kysely';
import type { CrmName, Cursor, LeadRecord, OutcomeRecord } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { checkpointsRepository } from './checkpoints.js';
import { forgottenLeadsRepository } from './forgotten-leads.js';
import { leadPageChanges, outcomePageChanges, type PageChanges, type PageComparison } from './page-changes.js';
import { outcomesRepository } from './outcomes.js';
import { recordsRepository } from './records.js';
import { inTransaction } from './transaction.js';

export interface CommitPageOptions {
  /** The CRM object the records are (default: the stream name, e.g. "contacts"). */
  objectType?: string;
  /** How they arrived (default "sync"). */
  source?: string;
  /** Set by the sync: compare the page with the stored versions first and report what it read and changed (page-changes.ts). */
  compare?: PageComparison;
  /** Records to mark archived with the page (Page.mergedAway); a record the page itself holds is left as the page says. */
  archive?: readonly string[];
}

export interface CommitPageResult {
  stored: number;
  /** Only when `compare` is set. */
  changes?: PageChanges;
}

/**
 * Stores one page pulled from a CRM and the cursor after it in a single transaction: the sync's
 * crash-safety contract. A checkpoint never runs ahead of the data it covers, so a crash at any
 * point resumes from the last committed page, and the idempotent upserts absorb the replay.
 * Records read by id rather than pulled in order come with no cursor: the checkpoint stays.
 */
export async function commitPage(
  db: Kysely<Database>,
  crm: CrmName,
  stream: string,
  records: readonly LeadRecord[] | readonly OutcomeRecord[],
  cursor: Cursor | null,
  options: CommitPageOptions = {},
): Promise<CommitPageResult> {
  return inTransaction(db, async (trx) => {
    let stored = 0;
    let changes: PageChanges | undefined;
    if (records.length > 0 && options.compare) {
      // Reading before writing holds because a SQLite write transaction begins IMMEDIATE
      // (sqlite-dialect.ts): deferred, another process committing after these reads would make
      // the upsert below fail with SQLITE_BUSY_SNAPSHOT.
      const ids = isOutcomes(records) ? records.map((o) => o.leadId) : (records as readonly LeadRecord[]).map((r) => r.id);
      const forgotten = await forgottenLeadsRepository(trx).among(crm, ids);
      changes = isOutcomes(records)
        ? await outcomePageChanges(trx, crm, records, options.compare, forgotten)
        : await leadPageChanges(trx, crm, options.objectType ?? stream, records as readonly LeadRecord[], options.compare, forgotten);
    }
    if (records.length > 0) {
      stored = isOutcomes(records)
        ? await outcomesRepository(trx).upsert(crm, records)
        : await recordsRepository(trx).upsert(crm, records as readonly LeadRecord[], {
            objectType: options.objectType ?? stream,
            source: options.source ?? 'sync',
          });
    }
    const inPage = new Set(records.length > 0 && isOutcomes(records) ? [] : (records as readonly LeadRecord[]).map((r) => r.id));
    const archive = (options.archive ?? []).filter((id) => !inPage.has(id));
    if (archive.length > 0) await recordsRepository(trx).markArchived(crm, options.objectType ?? stream, archive);
    // null: records read by id (a webhook's rescore), no position in the stream; the next sync reads them again.
    if (cursor !== null) await checkpointsRepository(trx).set(crm, stream, cursor);
    return changes ? { stored, changes } : { stored };
  });
}

function isOutcomes(records: readonly LeadRecord[] | readonly OutcomeRecord[]): records is readonly OutcomeRecord[] {
  const first = records[0] as Partial<OutcomeRecord>;
  return typeof first.leadId === 'string' && typeof first.outcome === 'string';
}

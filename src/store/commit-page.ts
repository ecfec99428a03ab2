import type { Kysely } from 'kysely';
import type { CrmName, Cursor, LeadRecord, OutcomeRecord } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { checkpointsRepository } from './checkpoints.js';
import { outcomesRepository } from './outcomes.js';
import { recordsRepository } from './records.js';
import { inTransaction } from './transaction.js';

export interface CommitPageOptions {
  /** The CRM object the records are (default: the stream name, e.g. "contacts"). */
  objectType?: string;
  /** How they arrived (default "sync"). */
  source?: string;
}

/**
 * Stores one page pulled from a CRM and the cursor after it in a single transaction: the sync's
 * crash-safety contract. A checkpoint never runs ahead of the data it covers, so a crash at any
 * point resumes from the last committed page, and the idempotent upserts absorb the replay.
 */
export async function commitPage(
  db: Kysely<Database>,
  crm: CrmName,
  stream: string,
  records: readonly LeadRecord[] | readonly OutcomeRecord[],
  cursor: Cursor,
  options: CommitPageOptions = {},
): Promise<{ stored: number }> {
  return inTransaction(db, async (trx) => {
    let stored = 0;
    if (records.length > 0) {
      stored = isOutcomes(records)
        ? await outcomesRepository(trx).upsert(crm, records)
        : await recordsRepository(trx).upsert(crm, records as readonly LeadRecord[], {
            objectType: options.objectType ?? stream,
            source: options.source ?? 'sync',
          });
    }
    await checkpointsRepository(trx).set(crm, stream, cursor);
    return { stored };
  });
}

function isOutcomes(records: readonly LeadRecord[] | readonly OutcomeRecord[]): records is readonly OutcomeRecord[] {
  const first = records[0] as Partial<OutcomeRecord>;
  return typeof first.leadId === 'string' && typeof first.outcome === 'string';
}

import type { Compilable, Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import { writeInChunks } from './bulk-write.js';
import { type PerLeadTarget, writeExceptForgotten } from './forgotten-leads.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

/** Rows per multi-row statement: well under both back ends' bound-parameter limits for these tables. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The upsert every per-lead table (records, outcomes, snapshots, scores) makes: one transaction,
 * guarded against a forget committed at the same moment (writeExceptForgotten), in multi-row
 * statements (writeInChunks). `build` is the table's own insert … on conflict for one chunk.
 * Returns the ids of forgotten leads whose rows were dropped again.
 */
export function upsertPerLead<R>(
  db: Kysely<Database>,
  crm: CrmName,
  target: PerLeadTarget,
  rows: readonly R[],
  leadIdOf: (row: R) => string,
  build: (trx: Kysely<Database>, batch: R[]) => Compilable,
  parameters: (row: R) => readonly unknown[],
): Promise<Set<string>> {
  return inTransaction(db, (trx) =>
    writeExceptForgotten(trx, crm, target, rows.map(leadIdOf), () => writeInChunks(trx, rows, ROWS_PER_STATEMENT, (batch) => build(trx, batch), parameters)),
  );
}

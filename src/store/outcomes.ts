import type { Kysely } from 'kysely';
import { InputError } from '../domain/errors.js';
import type { CrmName, Outcome, OutcomeRecord } from '../../connectors/types.js';
import type { Database, OutcomesTable } from './schema.js';
import { nowIso, toIso } from './iso-time.js';
import { upsertPerLead } from './per-lead-upsert.js';

export interface StoredOutcome extends OutcomeRecord {
  recordedAt: string;
}

const OUTCOMES = new Set<Outcome>(['won', 'lost']);

/** How each closed lead ended and when; the labels training learns from. */
export function outcomesRepository(db: Kysely<Database>) {
  return {
    /** Inserts or replaces outcomes (a lead lost, then won later, ends up won); a forgotten lead's is not stored nor counted. */
    async upsert(crm: CrmName, outcomes: readonly OutcomeRecord[]): Promise<number> {
      return upsertOutcomeRows(db, 'outcomes', crm, outcomes);
    },

    async get(crm: CrmName, leadId: string): Promise<StoredOutcome | null> {
      const row = await db
        .selectFrom('outcomes')
        .selectAll()
        .where('crm', '=', crm)
        .where('lead_id', '=', leadId)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    /** Outcomes in time order, optionally within [from, to). */
    async list(crm: CrmName, range: { from?: string; to?: string } = {}): Promise<StoredOutcome[]> {
      let query = db.selectFrom('outcomes').selectAll().where('crm', '=', crm);
      if (range.from) query = query.where('outcome_at', '>=', toIso(range.from, 'from'));
      if (range.to) query = query.where('outcome_at', '<', toIso(range.to, 'to'));
      const rows = await query.orderBy('outcome_at').orderBy('lead_id').execute();
      return rows.map(fromRow);
    },

    /** Closed leads and conversions: what decides whether there is enough history to train. */
    async counts(crm: CrmName): Promise<{ won: number; lost: number }> {
      const rows = await db
        .selectFrom('outcomes')
        .select(['outcome', (eb) => eb.fn.countAll().as('n')])
        .where('crm', '=', crm)
        .groupBy('outcome')
        .execute();
      const byOutcome = new Map(rows.map((r) => [r.outcome, Number(r.n)]));
      return { won: byOutcome.get('won') ?? 0, lost: byOutcome.get('lost') ?? 0 };
    },
  };
}

export type OutcomesRepository = ReturnType<typeof outcomesRepository>;

/**
 * Inserts or replaces outcomes in `table` (the stored outcomes, or those a re-derive stages, which
 * have the same columns); a forgotten lead's is not stored nor counted. Returns the rows stored.
 */
export async function upsertOutcomeRows(db: Kysely<Database>, table: 'outcomes' | 'staged_outcomes', crm: CrmName, outcomes: readonly OutcomeRecord[]): Promise<number> {
  const rows = outcomeRows(crm, outcomes);
  const forgotten = await upsertPerLead(
    db,
    crm,
    { table, column: 'lead_id' },
    rows,
    (r) => r.lead_id,
    (trx, batch) =>
      trx
        .insertInto(table as 'outcomes')
        .values(batch)
        .onConflict((oc) =>
          oc.columns(['crm', 'lead_id']).doUpdateSet((eb) => ({
            outcome: eb.ref('excluded.outcome'),
            outcome_at: eb.ref('excluded.outcome_at'),
            evidence: eb.ref('excluded.evidence'),
            recorded_at: eb.ref('excluded.recorded_at'),
          })),
        ),
    (r) => [r.crm, r.lead_id, r.outcome, r.outcome_at, r.evidence, r.recorded_at],
  );
  return rows.length - forgotten.size;
}

/** Outcomes checked and as rows, one per lead (the last one read wins), for the stored and the staged outcomes alike. */
function outcomeRows(crm: CrmName, outcomes: readonly OutcomeRecord[]): OutcomesTable[] {
  const recordedAt = nowIso();
  const byLead = new Map<string, OutcomesTable>();
  for (const o of outcomes) {
    if (o.crm !== crm) throw new InputError(`Outcome of lead ${o.leadId} belongs to ${o.crm}, not ${crm}; nothing was stored`);
    if (!OUTCOMES.has(o.outcome)) {
      throw new InputError(`Outcome of ${crm} lead ${o.leadId} is "${String(o.outcome)}"; expected won or lost; nothing was stored`);
    }
    // Repeats within one batch: the last one read is the CRM's latest word.
    byLead.set(o.leadId, {
      crm,
      lead_id: o.leadId,
      outcome: o.outcome,
      outcome_at: toIso(o.outcomeAt, `${crm} lead ${o.leadId} outcomeAt`),
      evidence: o.evidence,
      recorded_at: recordedAt,
    });
  }
  return [...byLead.values()];
}

function fromRow(row: OutcomesTable): StoredOutcome {
  return {
    crm: row.crm as CrmName,
    leadId: row.lead_id,
    outcome: row.outcome as Outcome,
    outcomeAt: row.outcome_at,
    evidence: row.evidence,
    recordedAt: row.recorded_at,
  };
}

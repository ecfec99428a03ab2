import type { Kysely } from 'kysely';
import type { CrmName, Outcome } from '../../connectors/types.js';
import { closedOnScoredAt } from './closed-on.js';
import type { Database, SnapshotsTable } from './schema.js';
import { toIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { upsertPerLead } from './per-lead-upsert.js';
import { chunks } from './transaction.js';

/**
 * The raw property values a lead was scored on, exactly as the features were built from them.
 * Stored when they differ from the lead's latest snapshot (scoreOpenLeads): the scores computed
 * since from the same values share it, so a lead's snapshot at a time is its latest before it.
 */
export interface Snapshot {
  leadId: string;
  /** The model that scored these values first. */
  modelVersion: string;
  /** When these values were first scored. */
  scoredAt: string;
  properties: Record<string, string | null>;
}

/** A closed lead for training: its outcome and the snapshot of its last score before it. */
export interface TrainingExample {
  leadId: string;
  outcome: Outcome;
  outcomeAt: string;
  /** null when the lead was never scored before its outcome: fall back to history. */
  snapshot: Snapshot | null;
}

const IDS_PER_QUERY = 500;

export function snapshotsRepository(db: Kysely<Database>) {
  return {
    /**
     * Stores snapshots; scoring the same lead at the same instant again replaces the first. A
     * forgotten lead's is not stored: its values are personal data (forgotten-leads.ts).
     */
    async save(crm: CrmName, snapshots: readonly Snapshot[]): Promise<void> {
      const rows: SnapshotsTable[] = dedupe(
        snapshots.map((s) => ({
          crm,
          lead_id: s.leadId,
          scored_at: toIso(s.scoredAt, `${crm} lead ${s.leadId} scoredAt`),
          model_version: s.modelVersion,
          properties: toJsonText(s.properties),
        })),
      );
      await upsertPerLead(
        db,
        crm,
        { table: 'snapshots', column: 'lead_id' },
        rows,
        (r) => r.lead_id,
        (trx, batch) =>
          trx
            .insertInto('snapshots')
            .values(batch)
            .onConflict((oc) =>
              oc.columns(['crm', 'lead_id', 'scored_at']).doUpdateSet((eb) => ({
                model_version: eb.ref('excluded.model_version'),
                properties: eb.ref('excluded.properties'),
              })),
            ),
        (r) => [r.crm, r.lead_id, r.scored_at, r.model_version, r.properties],
      );
    },

    /** The snapshot of the lead's latest score strictly before `before`. */
    async latestBefore(crm: CrmName, leadId: string, before: string): Promise<Snapshot | null> {
      const row = await db
        .selectFrom('snapshots')
        .selectAll()
        .where('crm', '=', crm)
        .where('lead_id', '=', leadId)
        .where('scored_at', '<', toIso(before, 'before'))
        .orderBy('scored_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    /** Each lead's latest snapshot, for the leads among `leadIds` that have one. */
    async latestOf(crm: CrmName, leadIds: readonly string[]): Promise<Map<string, Snapshot>> {
      const found = new Map<string, Snapshot>();
      for (const batch of chunks([...new Set(leadIds)], IDS_PER_QUERY)) {
        const rows = await db
          .selectFrom('snapshots as s')
          .selectAll('s')
          .where('s.crm', '=', crm)
          .where('s.lead_id', 'in', batch)
          .where((eb) =>
            eb(
              's.scored_at',
              '=',
              eb
                .selectFrom('snapshots as s2')
                .select((sb) => sb.fn.max('s2.scored_at').as('latest'))
                .whereRef('s2.crm', '=', 's.crm')
                .whereRef('s2.lead_id', '=', 's.lead_id'),
            ),
          )
          .execute();
        for (const row of rows) found.set(row.lead_id, fromRow(row));
      }
      return found;
    },

    /**
     * Every lead with an outcome, paired with the snapshot of its latest score before the outcome
     * date: the closed loop trains on what was known when the lead was scored, never after.
     */
    async trainingExamples(crm: CrmName): Promise<TrainingExample[]> {
      const rows = await db
        .selectFrom('outcomes as o')
        .leftJoin('snapshots as s', (join) =>
          join
            .onRef('s.crm', '=', 'o.crm')
            .onRef('s.lead_id', '=', 'o.lead_id')
            // The snapshot the lead closed on: the rule prune keeps it by.
            .on((eb) => eb('s.scored_at', '=', closedOnScoredAt(eb, 'snapshots', 'o'))),
        )
        .select([
          'o.lead_id',
          'o.outcome',
          'o.outcome_at',
          's.scored_at',
          's.model_version',
          's.properties',
        ])
        .where('o.crm', '=', crm)
        .orderBy('o.outcome_at')
        .orderBy('o.lead_id')
        .execute();
      return rows.map((r) => ({
        leadId: r.lead_id,
        outcome: r.outcome as Outcome,
        outcomeAt: r.outcome_at,
        snapshot:
          r.scored_at === null || r.properties === null || r.model_version === null
            ? null
            : {
                leadId: r.lead_id,
                scoredAt: r.scored_at,
                modelVersion: r.model_version,
                properties: fromJsonText<Record<string, string | null>>(r.properties),
              },
      }));
    },
  };
}

export type SnapshotsRepository = ReturnType<typeof snapshotsRepository>;

function dedupe(rows: SnapshotsTable[]): SnapshotsTable[] {
  const byKey = new Map<string, SnapshotsTable>();
  for (const row of rows) byKey.set(`${row.lead_id}\u0000${row.scored_at}`, row);
  return [...byKey.values()];
}

function fromRow(row: SnapshotsTable): Snapshot {
  return {
    leadId: row.lead_id,
    modelVersion: row.model_version,
    scoredAt: row.scored_at,
    properties: fromJsonText<Record<string, string | null>>(row.properties),
  };
}

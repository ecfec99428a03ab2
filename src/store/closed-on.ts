import type { ExpressionBuilder } from 'kysely';

/** The per-lead history tables written at each score, keyed by lead and scored_at. */
export type HistoryTable = 'scores' | 'snapshots';

/**
 * The rule for the row of a closed lead's history it "closed on": its latest before the outcome
 * date, what was known when a rep last saw its score. Training learns from that snapshot
 * (snapshots.trainingExamples) and prune keeps that snapshot and score whatever their age
 * (prune.ts): one definition, so what prune keeps is always what training reads.
 *
 * A subquery giving that row's scored_at (null when the lead was never scored before it closed),
 * correlated with the outcome row aliased `outcome` (from outcomes or staged_outcomes).
 */
export function closedOnScoredAt(eb: ExpressionBuilder<any, any>, table: HistoryTable, outcome: string) {
  return eb
    .selectFrom(`${table} as closed_on`)
    .select((sb) => sb.fn.max('closed_on.scored_at').as('closed_on_at'))
    .whereRef('closed_on.crm', '=', `${outcome}.crm`)
    .whereRef('closed_on.lead_id', '=', `${outcome}.lead_id`)
    .whereRef('closed_on.scored_at', '<', `${outcome}.outcome_at`);
}

import type { Kysely } from 'kysely';
import type { CrmName, ScoreWrite } from '../../connectors/types.js';
import { writtenProbability } from '../domain/written-probability.js';
import type { Database, ScoresTable } from './schema.js';
import { nowIso, toIso } from './iso-time.js';
import { upsertPerLead } from './per-lead-upsert.js';
import { chunks, inTransaction } from './transaction.js';

/**
 * pending: scored, not yet written to the CRM (what a crashed push resumes);
 * pushed: written; failed: the CRM refused it (push_error says why);
 * unchanged: not written because the CRM already shows the same values.
 */
export type PushStatus = 'pending' | 'pushed' | 'failed' | 'unchanged';

export interface StoredScore extends ScoreWrite {
  crm: CrmName;
  pushStatus: PushStatus;
  pushedAt: string | null;
  pushError: string | null;
}

export interface ScoreKey {
  leadId: string;
  scoredAt: string;
}

/** The values a rep sees on the lead; a new score is written only if one of them changed. */
export type ComparedField = 'score' | 'tier' | 'reasons' | 'trend' | 'probability' | 'modelVersion';
export const DEFAULT_COMPARED_FIELDS: readonly ComparedField[] = ['score', 'tier', 'reasons', 'trend'];

/**
 * Whether two scores hold the same value of a field as the CRM would show it: the probability at
 * the decimals written (a float off in the sixth decimal is no change a rep could see, and no
 * reason to write), everything else as stored.
 */
export function sameComparedValue(field: ComparedField, a: ScoreWrite, b: ScoreWrite): boolean {
  return field === 'probability' ? writtenProbability(a.probability) === writtenProbability(b.probability) : a[field] === b[field];
}

const IDS_PER_QUERY = 500;

/** Every score ever computed, for trends, audit and resumable pushes. */
export function scoresRepository(db: Kysely<Database>) {
  /** The latest score per lead, optionally only before a time or only among pushed ones. */
  async function latestWhere(
    crm: CrmName,
    leadIds: readonly string[] | undefined,
    filter: { before?: string; pushedOnly?: boolean; statuses?: readonly PushStatus[]; limit?: number; exceptForgotten?: boolean },
  ): Promise<StoredScore[]> {
    const run = async (ids: readonly string[] | undefined) => {
      let query = latestQuery(crm, ids, filter).selectAll('s').orderBy('s.lead_id');
      if (filter.limit !== undefined) query = query.limit(filter.limit);
      return (await query.execute()).map(scoreFromRow);
    };
    if (leadIds === undefined) return run(undefined);
    const out: StoredScore[] = [];
    for (const ids of chunks([...new Set(leadIds)], IDS_PER_QUERY)) out.push(...(await run(ids)));
    return out;
  }

  /** The rows latestWhere returns, before any column is chosen: also counted as they stand (countPending). */
  function latestQuery(
    crm: CrmName,
    ids: readonly string[] | undefined,
    filter: { before?: string; pushedOnly?: boolean; statuses?: readonly PushStatus[]; exceptForgotten?: boolean },
  ) {
    let query = db
      .selectFrom('scores as s')
      .where('s.crm', '=', crm)
      .where((eb) => {
        let latest = eb
          .selectFrom('scores as s2')
          .select((sb) => sb.fn.max('s2.scored_at').as('latest'))
          .whereRef('s2.crm', '=', 's.crm')
          .whereRef('s2.lead_id', '=', 's.lead_id');
        if (filter.before) latest = latest.where('s2.scored_at', '<', filter.before);
        if (filter.pushedOnly) latest = latest.where('s2.push_status', '=', 'pushed');
        return eb('s.scored_at', '=', latest);
      });
    if (ids) query = query.where('s.lead_id', 'in', ids);
    if (filter.statuses) query = query.where('s.push_status', 'in', filter.statuses);
    if (filter.exceptForgotten) {
      query = query.where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('forgotten_leads as f').select('f.lead_id').whereRef('f.crm', '=', 's.crm').whereRef('f.lead_id', '=', 's.lead_id'),
          ),
        ),
      );
    }
    return query;
  }

  async function mark(crm: CrmName, groups: ReadonlyArray<{ keys: readonly ScoreKey[]; set: Partial<ScoresTable> }>): Promise<void> {
    await inTransaction(db, async (trx) => {
      for (const { keys, set } of groups) for (const batch of chunks(keys, IDS_PER_QUERY)) {
        await trx
          .updateTable('scores')
          .set(set)
          .where('crm', '=', crm)
          .where((eb) =>
            eb(
              eb.refTuple('lead_id', 'scored_at'),
              'in',
              batch.map((k) => eb.tuple(k.leadId, toIso(k.scoredAt, `${crm} lead ${k.leadId} scoredAt`))),
            ),
          )
          .execute();
      }
    });
  }

  return {
    /** Records new scores (pending push unless told otherwise); a forgotten lead's are not stored (forgotten-leads.ts). */
    async insert(crm: CrmName, scores: readonly ScoreWrite[], status: PushStatus = 'pending'): Promise<void> {
      const byKey = new Map<string, ScoresTable>();
      for (const s of scores) {
        const row = toRow(crm, s, status);
        byKey.set(`${row.lead_id}\u0000${row.scored_at}`, row);
      }
      const rows = [...byKey.values()];
      await upsertPerLead(
        db,
        crm,
        { table: 'scores', column: 'lead_id' },
        rows,
        (r) => r.lead_id,
        (trx, batch) =>
          trx
            .insertInto('scores')
            .values(batch)
            .onConflict((oc) =>
              oc.columns(['crm', 'lead_id', 'scored_at']).doUpdateSet((eb) => ({
                score: eb.ref('excluded.score'),
                tier: eb.ref('excluded.tier'),
                probability: eb.ref('excluded.probability'),
                reasons: eb.ref('excluded.reasons'),
                trend: eb.ref('excluded.trend'),
                model_version: eb.ref('excluded.model_version'),
                push_status: eb.ref('excluded.push_status'),
                pushed_at: eb.ref('excluded.pushed_at'),
                push_error: eb.ref('excluded.push_error'),
              })),
            ),
        (r) => [
          r.crm, r.lead_id, r.scored_at, r.score, r.tier, r.probability, r.reasons, r.trend,
          r.model_version, r.push_status, r.pushed_at, r.push_error,
        ],
      );
    },

    /** Latest score of each lead (all leads when `leadIds` is omitted). */
    async latest(crm: CrmName, leadIds?: readonly string[]): Promise<Map<string, StoredScore>> {
      return byLead(await latestWhere(crm, leadIds, {}));
    },

    /** Each lead's latest score strictly before `before`: the previous score a trend compares with. */
    async latestBefore(crm: CrmName, leadIds: readonly string[], before: string): Promise<Map<string, StoredScore>> {
      return byLead(await latestWhere(crm, leadIds, { before: toIso(before, 'before') }));
    },

    /** Each lead's latest score that reached the CRM: what the CRM shows now. */
    async lastPushed(crm: CrmName, leadIds: readonly string[]): Promise<Map<string, StoredScore>> {
      return byLead(await latestWhere(crm, leadIds, { pushedOnly: true }));
    },

    /**
     * The candidates whose values differ from what was last pushed for their lead (or that were
     * never pushed): the only ones worth a CRM write.
     */
    async changedSincePush(
      crm: CrmName,
      candidates: readonly ScoreWrite[],
      fields: readonly ComparedField[] = DEFAULT_COMPARED_FIELDS,
    ): Promise<ScoreWrite[]> {
      const pushed = byLead(await latestWhere(crm, candidates.map((c) => c.leadId), { pushedOnly: true }));
      return candidates.filter((c) => {
        const last = pushed.get(c.leadId);
        return !last || fields.some((f) => !sameComparedValue(f, last, c));
      });
    },

    /**
     * Latest scores still waiting for a push (by default `pending`; add `failed` to retry
     * refusals). A score superseded by a newer one is not returned: only the newest is worth writing.
     * Nor is a forgotten lead's, whatever left it behind: the push selection never sends one.
     */
    async pending(crm: CrmName, options: { statuses?: readonly PushStatus[]; limit?: number } = {}): Promise<StoredScore[]> {
      return latestWhere(crm, undefined, { statuses: options.statuses ?? ['pending'], limit: options.limit, exceptForgotten: true });
    },

    /**
     * How many scores pending() would return (same statuses, same rules), counted by the database:
     * the admin page's held-back line needs the number only, and a held-back push of a large
     * portal may leave tens of thousands waiting.
     */
    async countPending(crm: CrmName, options: { statuses?: readonly PushStatus[] } = {}): Promise<number> {
      const row = await latestQuery(crm, undefined, { statuses: options.statuses ?? ['pending'], exceptForgotten: true })
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      // PostgreSQL returns count(*) as a bigint, which pg hands over as a string.
      return Number(row.n);
    },

    async markPushed(crm: CrmName, keys: readonly ScoreKey[], pushedAt: string = nowIso()): Promise<void> {
      await mark(crm, [{ keys, set: { push_status: 'pushed', pushed_at: toIso(pushedAt, 'pushedAt'), push_error: null } }]);
    },

    async markUnchanged(crm: CrmName, keys: readonly ScoreKey[]): Promise<void> {
      await mark(crm, [{ keys, set: { push_status: 'unchanged', push_error: null } }]);
    },

    /** Records the CRM's refusal, one message per score. */
    async markFailed(crm: CrmName, failures: ReadonlyArray<ScoreKey & { error: string }>): Promise<void> {
      const byMessage = new Map<string, ScoreKey[]>();
      for (const f of failures) byMessage.set(f.error, [...(byMessage.get(f.error) ?? []), f]);
      await mark(
        crm,
        [...byMessage].map(([error, keys]) => ({ keys, set: { push_status: 'failed', push_error: error } })),
      );
    },

    /** A lead's scores, newest first. */
    async history(crm: CrmName, leadId: string, limit = 50): Promise<StoredScore[]> {
      const rows = await db
        .selectFrom('scores')
        .selectAll()
        .where('crm', '=', crm)
        .where('lead_id', '=', leadId)
        .orderBy('scored_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(scoreFromRow);
    },
  };
}

export type ScoresRepository = ReturnType<typeof scoresRepository>;

function byLead(scores: StoredScore[]): Map<string, StoredScore> {
  return new Map(scores.map((s) => [s.leadId, s]));
}

function toRow(crm: CrmName, s: ScoreWrite, status: PushStatus): ScoresTable {
  return {
    crm,
    lead_id: s.leadId,
    scored_at: toIso(s.scoredAt, `${crm} lead ${s.leadId} scoredAt`),
    score: s.score,
    tier: s.tier,
    probability: s.probability,
    reasons: s.reasons,
    trend: s.trend,
    model_version: s.modelVersion,
    push_status: status,
    pushed_at: null,
    push_error: null,
  };
}

export function scoreFromRow(row: ScoresTable): StoredScore {
  return {
    crm: row.crm as CrmName,
    leadId: row.lead_id,
    scoredAt: row.scored_at,
    score: Number(row.score),
    tier: row.tier,
    probability: Number(row.probability),
    reasons: row.reasons,
    trend: row.trend as ScoreWrite['trend'],
    modelVersion: row.model_version,
    pushStatus: row.push_status as PushStatus,
    pushedAt: row.pushed_at,
    pushError: row.push_error,
  };
}

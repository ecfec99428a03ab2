import type { CrmName } from '../../connectors/types.js';
import type { Store } from '../store/store.js';
import { isCapacityTier, type Tier } from '../config/tiers.js';
import { LEAD_OBJECT } from '../jobs/deps.js';
import { latestScoreOfOpenLead } from '../store/open-lead-scores.js';

/**
 * How many open leads hold each score 0-100 right now (their latest score, leads with an outcome
 * left out), for each of the given CRMs and summed, and how many new leads arrive a day: what the
 * tier preview is computed from.
 */
export interface ScoreDistribution {
  /** counts[s] = open leads whose latest score is s, over every CRM. */
  counts: number[];
  /** The same counts for each CRM apart: a cycle cuts capacity tiers in each CRM on its own. */
  byCrm: number[][];
  total: number;
  /** New leads a day over the last `days` days (null when none arrived). */
  perDay: number | null;
  days: number;
}

const INFLOW_DAYS = 28;

export async function scoreDistribution(store: Store, crms: readonly CrmName[], now = Date.now()): Promise<ScoreDistribution> {
  const counts = new Array<number>(101).fill(0);
  const byCrm: number[][] = [];
  let arrived = 0;
  const since = new Date(now - INFLOW_DAYS * 86_400_000).toISOString();
  for (const crm of crms) {
    const rows = await store.db
      .selectFrom('scores as s')
      .select(['s.score', (eb) => eb.fn.countAll<number>().as('n')])
      .where('s.crm', '=', crm)
      .where(latestScoreOfOpenLead)
      .groupBy('s.score')
      .execute();
    const own = new Array<number>(101).fill(0);
    for (const r of rows) own[Math.min(100, Math.max(0, Number(r.score)))] += Number(r.n);
    own.forEach((n, score) => (counts[score] += n));
    byCrm.push(own);
    const inflow = await store.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('crm', '=', crm)
      .where('object_type', '=', LEAD_OBJECT)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    arrived += Number(inflow?.n ?? 0);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return { counts, byCrm, total, perDay: arrived > 0 ? arrived / INFLOW_DAYS : null, days: INFLOW_DAYS };
}

/** Open leads scoring at least `min`. */
export function atOrAbove(dist: ScoreDistribution, min: number): number {
  let n = 0;
  for (let s = Math.max(0, Math.ceil(min)); s <= 100; s++) n += dist.counts[s];
  return n;
}

/**
 * Leads per tier for a tier list (highest first), as a cycle would assign them: a minimum-score
 * tier takes the leads at or above its minimum that no higher tier took, a capacity tier the N
 * best of them in each CRM, so with two CRMs it holds up to 2N. `min` is the lowest score the tier
 * then holds in any CRM (null: none). Scores are whole points, so a capacity tier may take part
 * of a score's leads; the cycle splits them by probability.
 */
export function tierCounts(dist: ScoreDistribution, tiers: readonly Tier[]): Array<{ name: string; min: number | null; leads: number; share: number }> {
  const perCrm = dist.byCrm.map((counts) => tierCountsOf(counts, tiers));
  return tiers.map((t, i) => {
    const leads = perCrm.reduce((n, crm) => n + crm[i].leads, 0);
    const mins = perCrm.flatMap((crm) => (crm[i].min === null ? [] : [crm[i].min]));
    const min = isCapacityTier(t) ? (mins.length > 0 ? Math.min(...mins) : null) : Math.max(0, Math.min(100, Math.round(t.min)));
    return { name: t.name, min, leads, share: dist.total > 0 ? leads / dist.total : 0 };
  });
}

function tierCountsOf(counts: readonly number[], tiers: readonly Tier[]): Array<{ min: number | null; leads: number }> {
  const remaining = [...counts];
  return tiers.map((t) => {
    let leads = 0;
    let min: number | null = null;
    if (isCapacityTier(t)) {
      for (let s = 100; s >= 0 && leads < t.perDay; s--) {
        const take = Math.min(remaining[s], t.perDay - leads);
        if (take === 0) continue;
        remaining[s] -= take;
        leads += take;
        min = s;
      }
    } else {
      min = Math.max(0, Math.min(100, Math.round(t.min)));
      for (let s = min; s <= 100; s++) {
        leads += remaining[s];
        remaining[s] = 0;
      }
    }
    return { min, leads };
  });
}

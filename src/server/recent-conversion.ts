import type { CrmName } from '../../connectors/types.js';
import { auc, expectedCalibrationError } from '../model/evaluation/metrics.js';
import type { Store } from '../store/store.js';

/** One tier of the recent leads table: leads the model in service scored before they closed. */
export interface RecentTier {
  tier: string;
  leads: number;
  won: number;
  conversionRate: number;
  /** Mean probability written with those scores: what reps were told the chance was. */
  meanProbability: number;
  /** false: a tier name no longer in the managers' tiers (renamed or removed since). */
  current: boolean;
}

export interface RecentConversion {
  days: number;
  tiers: RecentTier[];
  /** The same leads together: what the probabilities written were worth (null: none closed). */
  overall?: RecentOverall | null;
}

export interface RecentOverall {
  leads: number;
  won: number;
  meanProbability: number;
  /** AUC and calibration error of the probabilities written, as training measures them (null: one outcome only). */
  auc: number | null;
  ece: number;
}

export const RECENT_DAYS = 90;

/**
 * Conversion per tier on leads the model scored before they closed: the closed loop's own check
 * that a tier keeps its promise, on leads no model had seen the outcome of when it scored them.
 * Tiers come in the managers' order, highest first, so a higher tier converting less than a
 * lower one shows as an inversion; `tierNames` are today's tiers, highest first.
 */
export async function recentConversionByTier(store: Store, crm: CrmName, tierNames: readonly string[], now: number): Promise<RecentConversion> {
  const since = new Date(now - RECENT_DAYS * 86_400_000).toISOString();
  // One row per lead (its last score before it closed): the tiers and the overall figures both come from them.
  const rows = await store.db
    .selectFrom('outcomes as o')
    .innerJoin('scores as s', (join) => join.onRef('s.crm', '=', 'o.crm').onRef('s.lead_id', '=', 'o.lead_id'))
    .select(['s.tier', 's.score', 's.probability', 'o.outcome'])
    .where('o.crm', '=', crm)
    .where('o.outcome_at', '>=', since)
    .where((eb) =>
      eb(
        's.scored_at',
        '=',
        eb
          .selectFrom('scores as s2')
          .select((sb) => sb.fn.max('s2.scored_at').as('latest'))
          .whereRef('s2.crm', '=', 'o.crm')
          .whereRef('s2.lead_id', '=', 'o.lead_id')
          .whereRef('s2.scored_at', '<', 'o.outcome_at'),
      ),
    )
    .execute();
  const byTier = new Map<string, { leads: number; won: number; probability: number; score: number }>();
  const y: number[] = [];
  const p: number[] = [];
  for (const r of rows) {
    const t = byTier.get(r.tier) ?? { leads: 0, won: 0, probability: 0, score: 0 };
    const won = r.outcome === 'won' ? 1 : 0;
    t.leads += 1;
    t.won += won;
    t.probability += Number(r.probability);
    t.score += Number(r.score);
    byTier.set(r.tier, t);
    y.push(won);
    p.push(Number(r.probability));
  }
  const tiers = [...byTier].map(([tier, t]) => ({ tier, leads: t.leads, won: t.won, conversionRate: t.won / t.leads, meanProbability: t.probability / t.leads, meanScore: t.score / t.leads }));
  const ranked = auc(y, p);
  const overall: RecentOverall | null =
    y.length === 0 ? null : { leads: y.length, won: y.reduce((a, b) => a + b, 0), meanProbability: p.reduce((a, b) => a + b, 0) / p.length, auc: Number.isFinite(ranked) ? ranked : null, ece: expectedCalibrationError(y, p) };
  return { days: RECENT_DAYS, tiers: inManagersOrder(tiers, tierNames), overall };
}

/**
 * Today's tiers in the order the managers list them; tier names no longer in use (renamed or
 * removed) after them, highest mean score first, which is the order they were given in.
 */
export function inManagersOrder<T extends { tier: string; meanScore: number }>(tiers: readonly T[], tierNames: readonly string[]): Array<Omit<T, 'meanScore'> & { current: boolean }> {
  // Tier names are unique regardless of case, and a scored lead keeps the spelling of its day.
  const rank = new Map(tierNames.map((name, i) => [name.toLowerCase(), i]));
  const position = (t: T) => rank.get(t.tier.toLowerCase()) ?? Number.POSITIVE_INFINITY;
  return [...tiers]
    .sort((a, b) => position(a) - position(b) || b.meanScore - a.meanScore || a.tier.localeCompare(b.tier))
    .map(({ meanScore: _, ...t }) => ({ ...t, current: rank.has(t.tier.toLowerCase()) }));
}

import type { CrmName } from '../../connectors/types.js';
import { FeaturePipeline } from '../features/pipeline.js';
import type { EvaluationCurves } from '../model/evaluation/curves.js';
import type { EvaluationReport } from '../model/evaluation/report.js';
import type { ModelSummary } from '../store/models.js';
import type { Store } from '../store/store.js';
import { groupedTopFactors, type GroupedFactor } from './grouped-top-factors.js';

/** What the model page shows for one CRM, read from what the store keeps for each model. */
export interface ModelPageData {
  crm: CrmName;
  active: ModelSummary | null;
  evaluation: Partial<EvaluationReport> | null;
  curves: EvaluationCurves | null;
  /** The active model's stored top factors, correlated columns folded as its reasons fold them. */
  topFactors: GroupedFactor[];
  models: Array<ModelSummary & { auc: number | null; lift: number | null; canRollBack: boolean }>;
  /** Leads scored before their outcome and closed in the last `days` days, by the tier they were given. */
  recent: { days: number; tiers: Array<{ tier: string; leads: number; won: number; conversionRate: number }> };
}

const RECENT_DAYS = 90;

export async function modelPageData(store: Store, crm: CrmName, now = Date.now()): Promise<ModelPageData> {
  const list = await store.models.list(crm);
  const active = list.find((m) => m.status === 'active') ?? null;
  const evaluation = active ? (active.metrics as Partial<EvaluationReport>) : null;
  return {
    crm,
    active,
    evaluation,
    curves: evaluation?.curves ?? null,
    topFactors: active && evaluation?.curves ? await activeTopFactors(store, active, evaluation.curves.topFactors) : [],
    models: list.map((m) => ({
      ...m,
      auc: numberOrNull(m.metrics.auc),
      lift: numberOrNull(m.metrics.liftTopDecile),
      canRollBack: m.status === 'retired' && m.promotedAt !== null,
    })),
    recent: await recentConversionByTier(store, crm, now),
  };
}

/**
 * Training stores every column's share (older models: their top ten), so a group's share counts
 * all its members; the page shows the first ten after grouping.
 */
export const TOP_FACTORS_SHOWN = 10;

/** Groups come from the model's own pipeline: the ones its reasons were written with. */
async function activeTopFactors(store: Store, active: ModelSummary, factors: EvaluationCurves['topFactors']): Promise<GroupedFactor[]> {
  // By version, not "the active one": a rollback meanwhile must not pair these factors with another model's groups.
  const model = await store.models.get(active.crm, active.version);
  if (!model) return factors.slice(0, TOP_FACTORS_SHOWN).map((f) => ({ ...f, foldedIn: [] }));
  const pipeline = FeaturePipeline.fromJSON((model.bundle as { features: unknown }).features);
  const labelOf = (column: string) => pipeline.defs.find((d) => d.source === column && d.kind !== 'missing-indicator')?.label ?? column;
  return groupedTopFactors(factors, pipeline.reasonGroups, labelOf).slice(0, TOP_FACTORS_SHOWN);
}

/**
 * Conversion per tier on leads the model scored before they closed: the closed loop's own check
 * that a tier keeps its promise, on leads no model had seen the outcome of when it scored them.
 */
async function recentConversionByTier(store: Store, crm: CrmName, now: number): Promise<ModelPageData['recent']> {
  const since = new Date(now - RECENT_DAYS * 86_400_000).toISOString();
  const rows = await store.db
    .selectFrom('outcomes as o')
    .innerJoin('scores as s', (join) => join.onRef('s.crm', '=', 'o.crm').onRef('s.lead_id', '=', 'o.lead_id'))
    .select(['s.tier', 'o.outcome', (eb) => eb.fn.countAll<number>().as('n')])
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
    .groupBy(['s.tier', 'o.outcome'])
    .execute();
  const byTier = new Map<string, { leads: number; won: number }>();
  for (const r of rows) {
    const t = byTier.get(r.tier) ?? { leads: 0, won: 0 };
    t.leads += Number(r.n);
    if (r.outcome === 'won') t.won += Number(r.n);
    byTier.set(r.tier, t);
  }
  return {
    days: RECENT_DAYS,
    tiers: [...byTier].map(([tier, t]) => ({ tier, leads: t.leads, won: t.won, conversionRate: t.won / t.leads })).sort((a, b) => b.conversionRate - a.conversionRate),
  };
}

function numberOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

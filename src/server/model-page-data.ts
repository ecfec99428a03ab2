import type { CrmName } from '../../connectors/types.js';
import { FeaturePipeline } from '../features/pipeline.js';
import type { EvaluationCurves } from '../model/evaluation/curves.js';
import type { EvaluationReport } from '../model/evaluation/report.js';
import type { ModelSummary } from '../store/models.js';
import type { Store } from '../store/store.js';
import { LEAD_OBJECT } from '../jobs/deps.js';
import { latestScoreOfOpenLead } from '../store/open-lead-scores.js';
import { groupedTopFactors, type GroupedFactor } from './grouped-top-factors.js';
import { promotionReason, storedComparison, type PromotionReason } from './promotion-reason.js';
import { recentConversionByTier, type RecentConversion } from './recent-conversion.js';

/** What the model page shows for one CRM, read from what the store keeps for each model. */
export interface ModelPageData {
  crm: CrmName;
  active: ModelSummary | null;
  evaluation: Partial<EvaluationReport> | null;
  curves: EvaluationCurves | null;
  /** The active model's stored top factors, correlated columns folded as its reasons fold them. */
  topFactors: GroupedFactor[];
  /** `auc`/`lift`: each model's own time-split test (its own newest closed leads, not comparable across rows); `headToHead`: training's comparison with the model active then. */
  models: Array<ModelSummary & { auc: number | null; lift: number | null; headToHead?: HeadToHead | null; canRollBack: boolean; promotion: PromotionReason | null; rolledBack?: RollbackActivation | null; replacedAt?: string | null }>;
  /** The leads the stored evaluation was measured on; null without an active model's evaluation. */
  measured: MeasuredSlice | null;
  /** What the model in service wrote: its latest probabilities on leads still open. */
  inService: InServiceProbabilities | null;
  /** Leads scored before their outcome and closed in the last `days` days, by the tier they were given, in the managers' tier order. */
  recent: RecentConversion;
}

/**
 * Training measures a fit of the recipe on the older closed leads against the newest ones, then
 * (when promoted) refits it on all of them: the model in service is not the one measured.
 */
export interface MeasuredSlice {
  /** Newest closed leads the figures are measured on, and how many closed leads training had in all. */
  leads: number;
  closedLeads: number;
  /** The older closed leads the measuring fit learnt from. */
  trainLeads: number;
  /** Creation dates of the measured leads, oldest and newest; null when the store no longer holds them. */
  createdFrom: string | null;
  createdTo: string | null;
  positiveRate: number | null;
  /** Mean predicted conversion of the measuring fit on those leads (from the calibration bands). */
  meanPredicted: number | null;
}

/** How training compared a model with the one active then, as stored with the model. */
export interface HeadToHead {
  auc: number;
  against: string;
  againstAuc: number;
  leads: number;
  /** true: both scored on the same closed leads, newer than the active model; false: each model's own test AUC (too few newer leads). */
  sameLeads: boolean;
}

/** A manager's rollback that made a model active, from the audit trail the rollback route writes. */
export interface RollbackActivation {
  actor: string;
  at: string;
  /** The model it replaced (null: none was active). */
  replaced: string | null;
}

export interface InServiceProbabilities {
  version: string;
  openLeads: number;
  mean: number;
  min: number;
  max: number;
}

/** `tierNames`: today's tiers, highest first, the order the recent leads table follows. */
export async function modelPageData(store: Store, crm: CrmName, now = Date.now(), tierNames: readonly string[] = []): Promise<ModelPageData> {
  const list = await store.models.list(crm);
  const active = list.find((m) => m.status === 'active') ?? null;
  const evaluation = active ? (active.metrics as Partial<EvaluationReport>) : null;
  const rollbacks = await lastRollbacks(store, crm);
  const activations = await activationTimes(store, crm, list);
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
      headToHead: headToHead(m.metrics),
      canRollBack: m.status === 'retired' && m.promotedAt !== null,
      promotion: promotionReason(m.metrics),
      rolledBack: rollbacks.get(m.version) ?? null,
      replacedAt: m.status === 'retired' && m.promotedAt !== null ? activations.find((a) => a.version !== m.version && a.at > m.promotedAt!)?.at ?? null : null,
    })),
    measured: active && evaluation ? await measuredSlice(store, active, evaluation) : null,
    inService: active ? await inServiceProbabilities(store, active) : null,
    recent: await recentConversionByTier(store, crm, tierNames, now),
  };
}

/**
 * The time split cut the closed leads, oldest created first, so the measured ones are the newest
 * `test` of those created up to the model's `trainedTo`. Read back from the store: exact unless
 * older leads have closed since training, which can move the first date a little.
 */
async function measuredSlice(store: Store, active: ModelSummary, ev: Partial<EvaluationReport>): Promise<MeasuredSlice | null> {
  if (typeof ev.test !== 'number' || ev.test <= 0) return null;
  const newest = await store.db
    .selectFrom('outcomes as o')
    .innerJoin('records as r', (join) => join.onRef('r.crm', '=', 'o.crm').onRef('r.id', '=', 'o.lead_id').on('r.object_type', '=', LEAD_OBJECT))
    .select('r.created_at')
    .where('o.crm', '=', active.crm)
    .where('r.created_at', '<=', active.trainedTo)
    .orderBy('r.created_at', 'desc')
    .limit(1)
    .offset(ev.test - 1)
    .executeTakeFirst();
  const bands = ev.curves?.calibration ?? [];
  const banded = bands.reduce((n, b) => n + b.leads, 0);
  return {
    leads: ev.test,
    closedLeads: ev.rows ?? ev.test + (ev.train ?? 0),
    trainLeads: ev.train ?? 0,
    createdFrom: newest?.created_at ?? null,
    createdTo: newest ? active.trainedTo : null,
    positiveRate: numberOrNull(ev.positiveRateTest),
    meanPredicted: banded > 0 ? bands.reduce((s, b) => s + b.predicted * b.leads, 0) / banded : null,
  };
}

/** Each still-open lead's latest probability from the active model: what reps see in the CRM now. */
async function inServiceProbabilities(store: Store, active: ModelSummary): Promise<InServiceProbabilities | null> {
  const row = await store.db
    .selectFrom('scores as s')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.avg<number>('s.probability').as('mean'), eb.fn.min('s.probability').as('min'), eb.fn.max('s.probability').as('max')])
    .where('s.crm', '=', active.crm)
    .where('s.model_version', '=', active.version)
    .where(latestScoreOfOpenLead)
    .executeTakeFirst();
  const n = Number(row?.n ?? 0);
  if (!row || n === 0) return null;
  return { version: active.version, openLeads: n, mean: Number(row.mean), min: Number(row.min), max: Number(row.max) };
}

/**
 * Each model's latest rollback to it. Training promotes a model once, when it is new; any later
 * activation is a rollback, so a model with one was last made active by it, and what training
 * said when it promoted the model no longer explains why it is in service.
 */
async function lastRollbacks(store: Store, crm: CrmName): Promise<Map<string, RollbackActivation>> {
  const entries = await store.audit.list({ key: `model.${crm}.active`, limit: 1000 });
  const out = new Map<string, RollbackActivation>();
  // Newest first: the first entry per version is its latest rollback.
  for (const e of entries) {
    if (typeof e.after === 'string' && !out.has(e.after)) out.set(e.after, { actor: e.actor, at: e.at, replaced: typeof e.before === 'string' ? e.before : null });
  }
  return out;
}

/** One moment a model was made active. */
interface Activation {
  version: string;
  at: string;
}

/**
 * Every time the store knows a model was made active, oldest first: a retired model was replaced
 * at the first activation of another model after its own promotedAt (its last activation). Only
 * another's: a model's own records of that activation come just after its promotedAt (the rollback
 * audit is written once the rollback is done, the training run ends after it promoted) and would
 * end its time in service the moment it began. promotedAt alone is not enough: a model rolled
 * back to keeps only its latest activation, so its first one, the moment it replaced another, is
 * read from the training run that promoted it; rollbacks from the audit.
 */
async function activationTimes(store: Store, crm: CrmName, models: ModelSummary[]): Promise<Activation[]> {
  const out: Activation[] = models.flatMap((m) => (m.promotedAt ? [{ version: m.version, at: m.promotedAt }] : []));
  for (const e of await store.audit.list({ key: `model.${crm}.active`, limit: 1000 })) {
    if (typeof e.after === 'string') out.push({ version: e.after, at: e.at });
  }
  for (const r of await store.runs.list({ kind: 'train', crm, limit: 1000 })) {
    const version = r.summary?.version;
    if (r.status === 'ok' && r.summary?.promoted === true && typeof version === 'string' && r.finishedAt) out.push({ version, at: r.finishedAt });
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
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

function headToHead(metrics: Record<string, unknown>): HeadToHead | null {
  const c = storedComparison(metrics);
  if (!c || c.activeVersion === null || c.activeAuc === null) return null;
  return { auc: c.candidateAuc, against: c.activeVersion, againstAuc: c.activeAuc, leads: c.testLeads, sameLeads: c.basis?.startsWith('on ') === true };
}

function numberOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

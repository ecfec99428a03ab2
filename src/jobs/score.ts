import type { ScoreWrite } from '../../connectors/types.js';
import type { Tier } from '../config/tiers.js';
import { modelFromBundle, type ModelBundle } from '../model/bundle.js';
import { assignTiers, hasCapacityTier, tierByCutoffs, type TierCutoff } from '../scoring/capacity-tiers.js';
import { calibrated, pipelineReference, type ScoringModel, scoreMatrix } from '../scoring/score-leads.js';
import { scoreScaleFor } from '../scoring/score-scale.js';
import { PopulationQuantilesSum } from '../scoring/population-quantiles.js';
import { blendedPredict } from '../model/blend.js';
import { FIRST_SCORE_TREND, trendOf } from '../scoring/trend.js';
import type { ScoreReference } from '../store/score-references.js';
import { type ComparedField, sameComparedValue, type StoredScore } from '../store/scores.js';
import { type CrmShownScores, observeOpenLeads } from './crm-shown-scores.js';
import { clock, LEAD_OBJECT, type LoopDeps } from './deps.js';
import { inputsAsLastScored, lastScoredInputs } from './inputs-as-last-scored.js';
import { inputProperties, neverInputMatcher } from './never-inputs.js';
import { openLeadMatrix } from './open-lead-matrix.js';
import { namedOpenLeadPages, openLeadPages } from './open-lead-pages.js';
import { openLeadsTypical } from './open-leads-typical.js';
import { reasonsText } from './reasons-text.js';
import { referenceIsFresh } from './score-reference-age.js';

/**
 * The values a rep sees on the lead; a lead is written again only when one of them changes. The
 * probability counts at the decimals written (sameComparedValue): left out, a new probability
 * with the same score and tier was stored 'unchanged' and the CRM kept the old one.
 */
export const WRITTEN_FIELDS: readonly ComparedField[] = ['score', 'tier', 'probability', 'reasons', 'trend', 'modelVersion'];

export interface ScoreResult {
  /** Open leads scored with the active model. */
  scored: number;
  /** New scores waiting to be written to the CRM. */
  toPush: number;
  /** Scored leads whose written values are what the CRM already shows. */
  unchanged: number;
  modelVersion: string | null;
  /** Set when nothing was scored, saying why. */
  skipped?: string;
  /**
   * The population scores were placed in (on the 'rank' scale) and reasons measured against (on
   * either scale): open leads counted, and whether computed in this run.
   */
  reference?: { leads: number; refreshed: boolean } | null;
}

export interface ScoreOptions {
  /**
   * 'refresh' (the scheduled cycle): the stored population is kept while referenceIsFresh says so
   * (config `scoring.referenceMaxAgeHours`), so a lead nothing happened to keeps its score from one
   * cycle to the next; otherwise a first pass over every open lead computes the population a score
   * ranks in and stores it. 'recompute' (the nightly retrain cycle): that pass whatever the stored
   * population's age, so the daily refresh lands at a known hour. 'stored' (real-time rescoring): that stored population is reused,
   * so a lead rescored on its own keeps its standing among all open leads, not among the few that
   * changed; it is computed as on refresh when none is stored for the active model yet (after a
   * promotion or a rollback). Capacity tiers follow the same rule: 'refresh' ranks every open lead
   * and stores where each tier was cut; 'stored' places leads against those cut-offs (see
   * tierByCutoffs), and ranks afresh only when none were stored for this model and these tiers.
   */
  reference?: 'refresh' | 'recompute' | 'stored';
  /**
   * Filled in page by page with what the CRM shows of the open leads' score fields, for the push
   * that follows (pushPendingScores), so it does not read every open lead again.
   */
  crmShown?: CrmShownScores;
  /**
   * Only these leads (those among them still open) are scored: a rescore of the leads a webhook
   * named. Use it with the 'stored' reference, so each keeps the standing among all open leads a
   * full pass would give it; `crmShown` then covers these leads alone (CrmShownScores.only).
   */
  leadIds?: readonly string[];
}

/**
 * Scores every open lead (no outcome yet) with the active model: probability, score, tier,
 * reasons, trend against the lead's previous score (a first score is "new": it has no direction). Each new score is
 * stored, as pending when its written values differ from what was last pushed, and so is the
 * snapshot of the values it was computed from (what closed-loop training learns from later) unless
 * they are those of the lead's latest snapshot already. A lead
 * that has not changed since it was last scored, and scores the same, adds nothing. On the 'rank'
 * scale a score is the lead's standing among the current open leads (see ScoreOptions); a refreshed
 * ranking shifts some scores by a point, and only those leads are written again.
 */
export async function scoreOpenLeads(deps: LoopDeps, tiers: readonly Tier[], options: ScoreOptions = {}): Promise<ScoreResult> {
  const { store, config, connector } = deps;
  const crm = connector.crm;
  const active = await store.models.active(crm);
  if (!active) {
    return { scored: 0, toPush: 0, unchanged: 0, modelVersion: null, skipped: 'no model is active yet, so no scores are written' };
  }
  const model = modelFromBundle(active.bundle as ModelBundle, `the active ${crm} model ${active.version}`);
  const isNeverInput = neverInputMatcher(config, crm, deps.manifest);
  const now = clock(deps);
  const scoredAt = new Date(now).toISOString();
  // One count serves the progress bar and the stored reference's freshness.
  const open = await store.records.countOpen(crm, LEAD_OBJECT);
  const total = options.leadIds ? Math.min(options.leadIds.length, open) : open;
  // Kept on the probability scale too: reasons are measured from the open leads' typical lead
  // and their "low"/"high" judged by the open leads' quantiles.
  const stored = await reusableReference(deps, active.version, options.reference ?? 'refresh', now, open);
  const capacity = hasCapacityTier(tiers);
  const storedCutoffs = capacity && options.reference === 'stored' ? await store.tierCutoffs.get(crm, active.version, tiers) : null;
  // One cheap pass over every open lead serves both the ranking population and the capacity tiers.
  const needsPass = !stored || (capacity && !storedCutoffs);
  const pass = needsPass ? await openLeadProbabilities(deps, model, now, !stored) : null;
  const reference = stored
    ? { quantiles: stored.quantiles, typical: stored.typical ?? undefined, populationQuantiles: stored.populationQuantiles ?? undefined, leads: stored.leads, refreshed: false }
    : await refreshReference(deps, active.version, pass!, now);
  const ranked = capacity && !storedCutoffs ? await rankCapacityTiers(deps, active.version, tiers, model, reference?.quantiles, pass!) : null;
  const cutoffs = storedCutoffs?.cutoffs ?? ranked?.cutoffs ?? null;
  // No open leads to rank among: the model's calibration-slice reference stays the fallback.
  // A population stored before its typical lead was kept gives reasons from the model's bias,
  // one stored before its quantiles were kept words "low"/"high" by the training quantiles.
  const settings = {
    tiers,
    reasons: config.reasons,
    scale: config.scoring.scale,
    reference: reference?.quantiles,
    typical: reference?.typical,
    populationQuantiles: reference?.populationQuantiles,
  };
  let scored = 0;
  let toPush = 0;

  for await (const leads of options.leadIds ? namedOpenLeadPages(deps, options.leadIds) : openLeadPages(deps)) {
    const inputs = leads.map((lead) => inputProperties(lead.properties, isNeverInput));
    const x = openLeadMatrix(model, inputs, crm, now);
    const previous = await store.scores.latest(crm, leads.map((l) => l.id));
    // Re-dated since their last score yet holding the inputs it was computed from: mostly our own
    // write-back, which the CRM dates as an edit. Such a lead keeps its capacity-tier seat, and
    // scoring the same again stores nothing for it.
    const redated = leads.flatMap((lead, i) => {
      const prev = previous.get(lead.id);
      return prev && lead.modifiedAt > prev.scoredAt ? [{ leadId: lead.id, inputs: inputs[i] }] : [];
    });
    let lastInputs = await lastScoredInputs(store, crm, redated.map((c) => c.leadId));
    const asLastScored = inputsAsLastScored(lastInputs, redated);
    const tierOf = !capacity
      ? undefined
      : (i: number, lead: { probability: number; score: number }) => {
          const ranking = ranked?.tierOf.get(leads[i].id);
          if (ranking !== undefined) return ranking;
          const prev = previous.get(leads[i].id);
          // Not by probability: inputs derived from dates (recency) move it with the clock alone.
          const unchanged = storedCutoffs && prev && prev.modelVersion === active.version && (leads[i].modifiedAt <= prev.scoredAt || asLastScored.has(leads[i].id));
          return tierByCutoffs(tiers, cutoffs!, lead, unchanged ? prev.tier : undefined);
        };
    const results = scoreMatrix(model, x, { ...settings, tierOf });

    const fresh: ScoreWrite[] = [];
    const snapshots: Array<{ leadId: string; modelVersion: string; scoredAt: string; properties: Record<string, string> }> = [];
    leads.forEach((lead, i) => {
      const r = results[i];
      const prev = previous.get(lead.id);
      const write: ScoreWrite = {
        leadId: lead.id,
        score: r.score,
        tier: r.tier,
        probability: r.probability,
        reasons: reasonsText(r.reasons),
        // An unchanged score keeps the trend it was written with: rescoring after our own write
        // comes back through sync must not flip "up" to "steady" and cost a second write.
        trend: prev && prev.score === r.score ? prev.trend : (trendOf(prev?.score, r.score, config.trend.threshold) ?? FIRST_SCORE_TREND),
        modelVersion: active.version,
        scoredAt,
      };
      if (prev && sameWritten(prev, write) && (lead.modifiedAt <= prev.scoredAt || asLastScored.has(lead.id))) return;
      fresh.push(write);
      snapshots.push({ leadId: lead.id, modelVersion: active.version, scoredAt, properties: inputs[i] });
    });

    // A new score from the values the lead's latest snapshot holds (the nightly re-rank moves a
    // point of score or of a reason; a promotion changes the model version) stores no snapshot:
    // training (the latest before the outcome), prune and "inputs as last scored" (the latest) find
    // a lead's snapshot by time, never as the one of a given score, and that one holds these values.
    lastInputs = await lastScoredInputs(store, crm, snapshots.filter((s) => previous.has(s.leadId)).map((s) => s.leadId), lastInputs);
    const repeated = inputsAsLastScored(lastInputs, snapshots.map((s) => ({ leadId: s.leadId, inputs: s.properties })));
    const newSnapshots = snapshots.filter((s) => !repeated.has(s.leadId));
    const changed = new Set((await store.scores.changedSincePush(crm, fresh, WRITTEN_FIELDS)).map((s) => s.leadId));
    deps.signal?.throwIfAborted();
    await store.transaction(async (tx) => {
      await tx.scores.insert(crm, fresh.filter((s) => changed.has(s.leadId)), 'pending');
      await tx.scores.insert(crm, fresh.filter((s) => !changed.has(s.leadId)), 'unchanged');
      await tx.snapshots.save(crm, newSnapshots);
    });
    if (options.crmShown) await observeOpenLeads(deps, options.crmShown, leads);
    scored += leads.length;
    toPush += changed.size;
    deps.onProgress?.('score', scored, Math.max(total, scored));
  }
  deps.onProgress?.('score', scored, scored);
  if (options.crmShown) {
    options.crmShown.complete = true;
    if (options.leadIds) options.crmShown.only = new Set(options.leadIds);
  }
  return {
    scored,
    toPush,
    unchanged: scored - toPush,
    modelVersion: active.version,
    reference: reference ? { leads: reference.leads, refreshed: reference.refreshed } : null,
  };
}

/**
 * The first pass: every open lead's calibrated probability (a prediction, no reasons) and, when
 * the reference is being computed (`withTypical`), the open leads' typical lead, which costs the
 * contributions of their middle fifth too (open-leads-typical.ts), and their quantiles per feature.
 */
async function openLeadProbabilities(
  deps: LoopDeps,
  model: ScoringModel,
  now: number,
  withTypical: boolean,
): Promise<{ ids: string[]; probabilities: number[]; typical?: number[]; populationQuantiles?: number[][] }> {
  const { config, connector } = deps;
  const crm = connector.crm;
  const isNeverInput = neverInputMatcher(config, crm, deps.manifest);
  const ids: string[] = [];
  const probabilities: number[] = [];
  const raw: number[] = [];
  const populationQuantiles = withTypical ? new PopulationQuantilesSum() : null;
  for await (const leads of openLeadPages(deps)) {
    const inputs = leads.map((lead) => inputProperties(lead.properties, isNeverInput));
    const x = openLeadMatrix(model, inputs, crm, now);
    const predicted = blendedPredict(model.forest, model.blend, x);
    const p = calibrated(model, predicted);
    populationQuantiles?.add(x);
    leads.forEach((lead, i) => {
      ids.push(lead.id);
      probabilities.push(p[i]);
      raw.push(predicted[i]);
    });
  }
  return {
    ids,
    probabilities,
    typical: withTypical ? await openLeadsTypical(deps, model, now, ids, Float64Array.from(raw)) : undefined,
    populationQuantiles: populationQuantiles?.result(),
  };
}

/**
 * The stored reference this pass ranks in, or null when it is to be computed afresh. A scheduled
 * cycle also recomputes one stored before its typical lead or its quantiles were kept, so the
 * reasons of every lead move to the open leads' typical lead and levels at the first cycle after
 * an upgrade; a real-time rescore reuses it as it is (reasons from the model's bias or the
 * training quantiles, as the other leads still read).
 */
async function reusableReference(
  deps: LoopDeps,
  modelVersion: string,
  mode: 'refresh' | 'recompute' | 'stored',
  now: number,
  open: number,
): Promise<ScoreReference | null> {
  if (mode === 'recompute') return null;
  const stored = await deps.store.scoreReferences.get(deps.connector.crm, modelVersion);
  if (!stored || mode === 'stored') return stored;
  if (!stored.typical || !stored.populationQuantiles) return null;
  return referenceIsFresh(stored, open, now, deps.config.scoring.referenceMaxAgeHours) ? stored : null;
}

/**
 * Stores the open leads' probabilities, typical lead and quantiles as the population the scoring pass, and
 * later real-time rescores, rank a lead in and explain it against.
 */
async function refreshReference(
  deps: LoopDeps,
  modelVersion: string,
  pass: { probabilities: number[]; typical?: number[]; populationQuantiles?: number[][] },
  now: number,
): Promise<{ quantiles: number[]; typical?: number[]; populationQuantiles?: number[][]; leads: number; refreshed: true } | null> {
  const { probabilities, typical, populationQuantiles } = pass;
  if (probabilities.length === 0) return null;
  const quantiles = pipelineReference(probabilities);
  await deps.store.scoreReferences.set(deps.connector.crm, {
    modelVersion,
    quantiles,
    typical: typical ?? null,
    populationQuantiles: populationQuantiles ?? null,
    leads: probabilities.length,
    at: new Date(now).toISOString(),
  });
  return { quantiles, typical, populationQuantiles, leads: probabilities.length, refreshed: true };
}

/** Every open lead's tier with capacity tiers ranked over all of them; the cut-offs are stored for rescores. */
async function rankCapacityTiers(
  deps: LoopDeps,
  modelVersion: string,
  tiers: readonly Tier[],
  model: ScoringModel,
  reference: readonly number[] | undefined,
  pass: { ids: string[]; probabilities: number[] },
): Promise<{ tierOf: Map<string, string>; cutoffs: TierCutoff[] }> {
  const scale = scoreScaleFor(deps.config.scoring.scale, reference && reference.length > 0 ? reference : model.reference);
  const leads = pass.ids.map((id, i) => ({ id, probability: pass.probabilities[i], score: scale.score(pass.probabilities[i]) }));
  const ranked = assignTiers(tiers, leads);
  await deps.store.tierCutoffs.set(deps.connector.crm, { modelVersion, tiers: [...tiers], cutoffs: ranked.cutoffs, at: new Date(clock(deps)).toISOString() });
  return ranked;
}

function sameWritten(a: StoredScore, b: ScoreWrite): boolean {
  return WRITTEN_FIELDS.every((f) => sameComparedValue(f, a, b));
}

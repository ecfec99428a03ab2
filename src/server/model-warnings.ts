import type { InputDrift } from './input-drift.js';
import type { ModelPageData } from './model-page-data.js';
import { percent } from './views/layout.js';
import { counted } from './views/counted.js';

/** Something on the model page a manager must not read past: what it means for reps, and what to do. */
export interface ModelWarning {
  id: 'weak-ranking' | 'tiers-out-of-order' | 'miscalibrated' | 'major-drift';
  title: string;
  meaning: string;
  action: string;
}

/** A measured-at-training finding that the served scores' real outcomes contradict: context, not a warning. */
export interface ModelNote {
  id: 'ranked-well-since' | 'tiers-in-order-since' | 'calibrated-since';
  text: string;
}

/** Below this AUC on the measured leads, the ranking is too weak to route work by. */
export const WEAK_AUC = 0.6;
/** Expected calibration error (mean gap, predicted vs observed) above which probabilities mislead. */
export const ECE_LIMIT = 0.05;
/** Mean predicted vs observed conversion further apart than this factor (either way) is off. */
export const MEAN_RATIO_LIMIT = 1.5;
/** Tiers with fewer measured leads than this are too noisy to call out of order. */
export const MIN_TIER_LEADS = 30;

export function modelWarnings(data: ModelPageData, drift: InputDrift | null | undefined): ModelWarning[] {
  return modelJudgement(data, drift).warnings;
}

/**
 * Two kinds of evidence reach the page. The stored evaluation is a fit measured at training on
 * the newest closed leads, before the model in service was refitted on all of them; the recent
 * leads table is the model in service's own scores and what those leads did. When enough scored
 * leads have closed, the closed loop is the one that speaks for today's scores, so ranking, tier
 * order and calibration are judged on it, and a training finding it contradicts becomes a note.
 */
export function modelJudgement(data: ModelPageData, drift: InputDrift | null | undefined): { warnings: ModelWarning[]; notes: ModelNote[] } {
  const ev = data.evaluation;
  if (!data.active || !ev) return { warnings: [], notes: [] };
  const on = data.measured ? `the newest ${counted(data.measured.leads, 'closed lead')}` : 'the newest closed leads';
  const byFit = 'by the measuring fit, which learnt from older leads only; the model in service was refitted on all of them';
  const served = servedEvidence(data);
  const servedOn = served ? `${counted(served.leads, 'lead')} the model in service scored before they closed (last ${data.recent.days} days)` : '';
  const servedOnIt = served ? `${counted(served.leads, 'lead')} it scored before they closed (last ${data.recent.days} days)` : '';
  const out: ModelWarning[] = [];
  const notes: ModelNote[] = [];

  const measuredWeak = typeof ev.auc === 'number' && ev.auc < WEAK_AUC;
  const canRollBack = data.models.some((m) => m.canRollBack);
  // Only actions the page offers: a rollback needs a model that was active before.
  const weakAction = `Wait for more leads to close and retrain; check the input drift card for fields that moved${canRollBack ? '; roll back (All models, below) if an earlier model did better on newer leads' : ''}.`;
  if (served && served.auc !== null && served.auc < WEAK_AUC) {
    out.push({
      id: 'weak-ranking',
      title: `Weak ranking on the scores reps saw: AUC ${served.auc.toFixed(3)} among ${servedOn} (0.5 is random order, below ${WEAK_AUC} is weak).`,
      meaning: 'Converters were scored above non-converters only a little more often than chance: a rep working the highest scores first gained little.',
      action: weakAction,
    });
  } else if (measuredWeak && served && served.auc !== null) {
    notes.push({ id: 'ranked-well-since', text: `At training the measuring fit ranked ${on} weakly (AUC ${ev.auc!.toFixed(3)}); the model in service ranked the ${servedOnIt} at AUC ${served.auc.toFixed(3)}.` });
  } else if (measuredWeak) {
    out.push({
      id: 'weak-ranking',
      title: `At training, weak ranking: AUC ${ev.auc!.toFixed(3)} on ${on} (0.5 is random order, below ${WEAK_AUC} is weak), ${byFit}.`,
      meaning: `On those leads that fit put converters ahead of non-converters only a little more often than chance.${served?.inOrder ? ' Since then the leads the model in service scored have converted in tier order (recent leads table).' : ' Too few leads scored by the model in service have closed yet to check its ranking.'}`,
      action: weakAction,
    });
  }

  const measuredInversion = firstInversion(ev.tiers ?? []);
  const measuredOrder = measuredInversion ? `${measuredInversion.higher.tier} converted ${percent(measuredInversion.higher.conversionRate)} of ${counted(measuredInversion.higher.leads, 'lead')}, ${measuredInversion.lower.tier} ${percent(measuredInversion.lower.conversionRate)} of ${counted(measuredInversion.lower.leads, 'lead')}` : '';
  if (served?.inversion) {
    const { higher, lower } = served.inversion;
    out.push({
      id: 'tiers-out-of-order',
      title: `Tiers out of order on the scores reps saw: ${higher.tier} converted ${percent(higher.conversionRate)} of ${counted(higher.leads, 'lead')}, ${lower.tier} ${percent(lower.conversionRate)} of ${counted(lower.leads, 'lead')}, among ${servedOn}.`,
      meaning: `A rep calling ${higher.tier} leads before ${lower.tier} ones did not reach more conversions.`,
      action: 'Adjust the tier thresholds on the tiers page, or wait for more closed leads and retrain.',
    });
  } else if (measuredInversion && served) {
    notes.push({ id: 'tiers-in-order-since', text: `At training the measuring fit's tiers were out of order on ${on} (${measuredOrder}); the ${servedOn} converted in tier order, so that does not speak against today's tiers.` });
  } else if (measuredInversion) {
    out.push({
      id: 'tiers-out-of-order',
      title: `At training, tiers out of order: ${measuredOrder}, on ${on}, ${byFit}.`,
      meaning: `Not yet checked on the scores reps see: fewer than two of today's tiers hold ${MIN_TIER_LEADS} or more scored leads that have closed.`,
      action: 'Watch the recent leads table as scored leads close; adjust the tier thresholds on the tiers page if it shows the same, or retrain once more leads have closed.',
    });
  }

  const m = data.measured;
  const meanOff = m && m.meanPredicted !== null && m.positiveRate !== null && m.positiveRate > 0 && m.meanPredicted > 0 && ratioOff(m.meanPredicted, m.positiveRate);
  const measuredOff = (typeof ev.ece === 'number' && ev.ece > ECE_LIMIT) || meanOff;
  const ece = typeof ev.ece === 'number' ? `calibration error ${ev.ece.toFixed(3)}` : '';
  const means = m && m.meanPredicted !== null && m.positiveRate !== null ? `predicted ${percent(m.meanPredicted)} on average, ${percent(m.positiveRate)} converted${ece ? ` (${ece})` : ''}` : ece;
  if (served?.calibrationOff) {
    out.push({
      id: 'miscalibrated',
      title: `Calibration off on the probabilities reps saw: the model in service wrote ${percent(served.meanProbability)} on average, ${percent(served.conversionRate)} converted (calibration error ${served.ece.toFixed(3)}), among ${servedOn}.`,
      meaning: `A percentage next to a score is not a reliable chance of converting; read the score as an order, not a promise.${ratioOff(served.meanProbability, served.conversionRate) ? '' : ' It is right on average but not across scores: compare Probability written with Converted for each tier in the recent leads table.'}`,
      action: 'Retrain once more leads have closed; check the input drift card.',
    });
  } else if (measuredOff && served) {
    notes.push({ id: 'calibrated-since', text: `At training the measuring fit's probabilities were off on ${on} (${means}); the model in service was recalibrated on all closed leads, and on the ${servedOnIt} it wrote ${percent(served.meanProbability)} on average where ${percent(served.conversionRate)} converted (calibration error ${served.ece.toFixed(3)}).` });
  } else if (measuredOff) {
    // The served model was recalibrated on every closed lead, so its probabilities can differ a lot from the measured fit's.
    const writes = data.inService ? ` It writes a mean of ${percent(data.inService.mean)} on ${counted(data.inService.openLeads, 'open lead')}.` : '';
    out.push({
      id: 'miscalibrated',
      title: `At training, calibration off${means ? `: ${means},` : ''} on ${on}, ${byFit}.`,
      meaning: `These are not the probabilities in the CRM: the model in service was recalibrated on all closed leads.${writes} Too few leads it scored have closed yet to check its probabilities.`,
      action: 'Watch the recent leads table as scored leads close; retrain once more leads have closed; check the input drift card.',
    });
  }

  const major = drift?.columns.filter((c) => c.reading === 'major') ?? [];
  if (major.length > 0) {
    const names = major.slice(0, 3).map((c) => c.label).join(', ');
    out.push({
      id: 'major-drift',
      title: `Major input drift: ${counted(major.length, 'field')} of today's open leads moved far from the training leads (${names}${major.length > 3 ? ', …' : ''}).`,
      meaning: 'Scores on today\'s leads rest on patterns from leads that looked different; they may rank worse than any figure on this page.',
      action: 'Look at the input drift card below: check the data source for a change, and retrain once leads like today\'s have closed.',
    });
  }
  return { warnings: out, notes };
}

/** What the served scores' real outcomes say, or null while too few of them have closed to say anything. */
interface ServedEvidence {
  leads: number;
  inOrder: boolean;
  inversion: { higher: MeasuredTier; lower: MeasuredTier } | null;
  meanProbability: number;
  conversionRate: number;
  /** null: the closed leads hold one outcome only. */
  auc: number | null;
  ece: number;
  calibrationOff: boolean;
}

/**
 * Enough means two of today's tiers with MIN_TIER_LEADS closed leads each: the least that can
 * show an order. Ranking and calibration are then read on every one of those closed leads, with
 * the probability each was written with, as training reads its measured leads.
 */
function servedEvidence(data: ModelPageData): ServedEvidence | null {
  const usable = data.recent.tiers.filter((t) => t.leads >= MIN_TIER_LEADS);
  const current = usable.filter((t) => t.current);
  if (current.length < 2) return null;
  const inversion = firstInversion(current);
  const all = data.recent.overall;
  // Without per-lead figures (older callers), the tiers' own means stand in for them.
  const leads = all?.leads ?? usable.reduce((n, t) => n + t.leads, 0);
  const conversionRate = all ? all.won / all.leads : usable.reduce((n, t) => n + t.won, 0) / leads;
  const meanProbability = all?.meanProbability ?? usable.reduce((s, t) => s + t.meanProbability * t.leads, 0) / leads;
  const ece = all?.ece ?? usable.reduce((s, t) => s + Math.abs(t.meanProbability - t.conversionRate) * t.leads, 0) / leads;
  const calibrationOff = ece > ECE_LIMIT || (meanProbability > 0 && conversionRate > 0 && ratioOff(meanProbability, conversionRate));
  return { leads, inOrder: inversion === null, inversion, meanProbability, conversionRate, auc: all?.auc ?? null, ece, calibrationOff };
}

function ratioOff(a: number, b: number): boolean {
  return Math.max(a / b, b / a) > MEAN_RATIO_LIMIT;
}

type MeasuredTier = { tier: string; leads: number; conversionRate: number };

/** Tiers come highest first; the first pair where a higher tier converted less than a lower one. */
function firstInversion(tiers: ReadonlyArray<{ tier: string; leads: number; conversionRate: number | null }>): { higher: MeasuredTier; lower: MeasuredTier } | null {
  const usable = tiers.filter((t): t is MeasuredTier => t.conversionRate !== null && t.leads >= MIN_TIER_LEADS);
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) if (usable[i].conversionRate < usable[j].conversionRate) return { higher: usable[i], lower: usable[j] };
  }
  return null;
}

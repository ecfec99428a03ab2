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

/** Below this AUC on the measured leads, the ranking is too weak to route work by. */
export const WEAK_AUC = 0.6;
/** Expected calibration error (mean gap, predicted vs observed) above which probabilities mislead. */
export const ECE_LIMIT = 0.05;
/** Mean predicted vs observed conversion further apart than this factor (either way) is off. */
export const MEAN_RATIO_LIMIT = 1.5;
/** Tiers with fewer measured leads than this are too noisy to call out of order. */
export const MIN_TIER_LEADS = 30;

export function modelWarnings(data: ModelPageData, drift: InputDrift | null | undefined): ModelWarning[] {
  const ev = data.evaluation;
  if (!data.active || !ev) return [];
  const on = data.measured ? `the newest ${counted(data.measured.leads, 'closed lead')}` : 'the newest closed leads';
  const out: ModelWarning[] = [];

  if (typeof ev.auc === 'number' && ev.auc < WEAK_AUC) {
    out.push({
      id: 'weak-ranking',
      title: `Weak ranking: AUC ${ev.auc.toFixed(3)} on ${on} (0.5 is random order, below ${WEAK_AUC} is weak).`,
      meaning: 'On these leads the score put converters ahead of non-converters only a little more often than chance: a rep working the highest scores first gained little.',
      action: 'Wait for more leads to close and retrain; check the input drift card for fields that moved; roll back if an earlier model did better on newer leads.',
    });
  }

  const inversion = firstInversion(ev.tiers ?? []);
  if (inversion) {
    out.push({
      id: 'tiers-out-of-order',
      title: `Tiers out of order: ${inversion.higher.tier} converted ${percent(inversion.higher.conversionRate)} of ${counted(inversion.higher.leads, 'lead')}, ${inversion.lower.tier} ${percent(inversion.lower.conversionRate)} of ${counted(inversion.lower.leads, 'lead')}, on ${on}.`,
      meaning: `A rep calling ${inversion.higher.tier} leads before ${inversion.lower.tier} ones would not have reached more conversions on these leads.`,
      action: 'Compare with the recent leads table below; adjust the tier thresholds on the tiers page, or wait for more closed leads and retrain.',
    });
  }

  const m = data.measured;
  const meanOff = m && m.meanPredicted !== null && m.positiveRate !== null && m.positiveRate > 0 && m.meanPredicted > 0 && Math.max(m.meanPredicted / m.positiveRate, m.positiveRate / m.meanPredicted) > MEAN_RATIO_LIMIT;
  if ((typeof ev.ece === 'number' && ev.ece > ECE_LIMIT) || meanOff) {
    const means = m && m.meanPredicted !== null && m.positiveRate !== null ? ` predicted ${percent(m.meanPredicted)} on average, ${percent(m.positiveRate)} converted` : '';
    // The served model was recalibrated on every closed lead, so its probabilities can differ a lot from the measured fit's.
    const served = data.inService ? ` The model in service was refitted on all closed leads and writes other probabilities (mean ${percent(data.inService.mean)} on ${counted(data.inService.openLeads, 'open lead')}); the recent leads table checks them as those leads close.` : '';
    out.push({
      id: 'miscalibrated',
      title: `Calibration off on ${on}:${means}${typeof ev.ece === 'number' ? ` (calibration error ${ev.ece.toFixed(3)})` : ''}.`,
      meaning: `A percentage next to a score is not a reliable chance of converting; read the score as an order, not a promise.${served}`,
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
  return out;
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

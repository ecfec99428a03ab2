import type { ScoreWrite } from '../../connectors/types.js';
import type { Tier } from '../config/tiers.js';
import { tableFromRecords } from '../features/raw-table.js';
import { modelFromBundle, type ModelBundle } from '../model/bundle.js';
import { scoreMatrix } from '../scoring/score-leads.js';
import { trendOf } from '../scoring/trend.js';
import type { ComparedField, StoredScore } from '../store/scores.js';
import { clock, LEAD_OBJECT, type LoopDeps } from './deps.js';
import { inputProperties, neverInputMatcher } from './never-inputs.js';
import { reasonsText } from './reasons-text.js';

/** The values a rep sees on the lead; a lead is written again only when one of them changes. */
export const WRITTEN_FIELDS: readonly ComparedField[] = ['score', 'tier', 'reasons', 'trend', 'modelVersion'];

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
}

const PAGE = 2000;

/**
 * Scores every open lead (no outcome yet) with the active model: probability, score, tier,
 * reasons, trend against the lead's previous score (a first score is "steady"). Each new score is
 * stored with the snapshot of the values it was computed from (what closed-loop training learns
 * from later) and as pending when its written values differ from what was last pushed. A lead
 * that has not changed since it was last scored, and scores the same, adds nothing.
 */
export async function scoreOpenLeads(deps: LoopDeps, tiers: readonly Tier[]): Promise<ScoreResult> {
  const { store, config, connector } = deps;
  const crm = connector.crm;
  const active = await store.models.active(crm);
  if (!active) {
    return { scored: 0, toPush: 0, unchanged: 0, modelVersion: null, skipped: 'no model is active yet, so no scores are written' };
  }
  const model = modelFromBundle(active.bundle as ModelBundle, `the active ${crm} model ${active.version}`);
  const isNeverInput = neverInputMatcher(config, crm);
  const now = clock(deps);
  const scoredAt = new Date(now).toISOString();
  const settings = { tiers, reasons: config.reasons, scale: config.scoring.scale };
  const total = await countOpen(deps);
  let scored = 0;
  let toPush = 0;
  let afterId: string | undefined;

  for (;;) {
    const leads = await store.records.listOpen(crm, LEAD_OBJECT, { afterId, limit: PAGE });
    if (leads.length === 0) break;
    afterId = leads[leads.length - 1].id;
    const inputs = leads.map((lead) => inputProperties(lead.properties, isNeverInput));
    const x = model.pipeline.transform(model.pipeline.datasetFrom(tableFromRecords(inputs, `open ${crm} leads`)), { referenceTime: now });
    const results = scoreMatrix(model, x, settings);
    const previous = await store.scores.latest(crm, leads.map((l) => l.id));

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
        trend: prev && prev.score === r.score ? prev.trend : (trendOf(prev?.score, r.score, config.trend.threshold) ?? 'steady'),
        modelVersion: active.version,
        scoredAt,
      };
      if (prev && sameWritten(prev, write) && lead.modifiedAt <= prev.scoredAt) return;
      fresh.push(write);
      snapshots.push({ leadId: lead.id, modelVersion: active.version, scoredAt, properties: inputs[i] });
    });

    const changed = new Set((await store.scores.changedSincePush(crm, fresh, WRITTEN_FIELDS)).map((s) => s.leadId));
    await store.transaction(async (tx) => {
      await tx.scores.insert(crm, fresh.filter((s) => changed.has(s.leadId)), 'pending');
      await tx.scores.insert(crm, fresh.filter((s) => !changed.has(s.leadId)), 'unchanged');
      await tx.snapshots.save(crm, snapshots);
    });
    scored += leads.length;
    toPush += changed.size;
    deps.onProgress?.('score', scored, Math.max(total, scored));
  }
  deps.onProgress?.('score', scored, scored);
  return { scored, toPush, unchanged: scored - toPush, modelVersion: active.version };
}

function sameWritten(a: StoredScore, b: ScoreWrite): boolean {
  return WRITTEN_FIELDS.every((f) => a[f] === b[f]);
}

/** Open leads, for the progress bar only. */
async function countOpen(deps: LoopDeps): Promise<number> {
  const { store, connector } = deps;
  const [all, outcomes] = await Promise.all([store.records.count(connector.crm, LEAD_OBJECT), store.outcomes.counts(connector.crm)]);
  return Math.max(0, all - outcomes.won - outcomes.lost);
}

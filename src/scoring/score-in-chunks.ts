import type { FeatureMatrix } from '../features/types.js';
import { assignTiers, hasCapacityTier } from './capacity-tiers.js';
import { calibrated, pipelineReference, type ScoredLead, scoreMatrix, type ScoringModel, type ScoringSettings } from './score-leads.js';
import { scoreScaleFor } from './score-scale.js';
import { blendedContributions, blendedPredict } from '../model/blend.js';
import { TypicalLeadSum, typicalOfBand } from './typical-lead.js';
import { PopulationQuantilesSum } from './population-quantiles.js';

export interface ChunkedScoring {
  /** Rows transformed at once: a bound on the features held, never on what a lead is ranked against (with --rank-within-file the numeric inputs of every row are kept for their quantiles). */
  chunk: number;
  /** Rank each row among the file's rows (`score --rank-within-file`). */
  rankWithinFile?: boolean;
  progress?: (label: string, total: number) => { tick(n: number): void; done(): void };
}

/**
 * Scores `rowCount` rows chunk by chunk while treating them as one batch: the within-file ranking
 * and the capacity tiers ("the N best") need every row's probability, so a cheap first pass
 * computes them all before the scoring pass. Without it each chunk would take its own N best.
 */
export function scoreInChunks(
  model: ScoringModel,
  rowCount: number,
  matrixOf: (rows: number[]) => FeatureMatrix,
  base: ScoringSettings,
  options: ChunkedScoring,
): ScoredLead[] {
  const chunks: number[][] = [];
  for (let start = 0; start < rowCount; start += options.chunk) {
    chunks.push(Array.from({ length: Math.min(options.chunk, rowCount - start) }, (_, i) => start + i));
  }
  let settings = base;
  const capacity = hasCapacityTier(base.tiers);
  let tierOfRow: string[] | null = null;
  if (options.rankWithinFile || capacity) {
    const probabilities = new Float64Array(rowCount);
    const raw = new Float64Array(rowCount);
    // Ranked among the file's rows, a lead's "low"/"high" are judged by the file's quantiles.
    const populationQuantiles = options.rankWithinFile ? new PopulationQuantilesSum() : null;
    const ranking = options.progress?.('Ranking leads', rowCount);
    for (const rows of chunks) {
      const x = matrixOf(rows);
      const predicted = blendedPredict(model.forest, model.blend, x);
      raw.set(predicted, rows[0]);
      probabilities.set(calibrated(model, predicted), rows[0]);
      populationQuantiles?.add(x);
      ranking?.tick(rows.length);
    }
    ranking?.done();
    // An explicit flag outranks scoring.scale "probability": asking for a ranking means one.
    if (options.rankWithinFile) {
      settings = {
        ...settings,
        scale: 'rank',
        reference: pipelineReference(probabilities),
        typical: fileTypicalLead(model, raw, chunks, matrixOf, options.chunk),
        populationQuantiles: populationQuantiles?.result(),
      };
    }
    if (capacity) {
      // The same scale scoreMatrix uses, so a minimum-score tier reads the score written.
      const reference = settings.reference && settings.reference.length > 0 ? settings.reference : model.reference;
      const scale = scoreScaleFor(settings.scale, reference);
      const id = (row: number) => String(row).padStart(12, '0');
      const { tierOf } = assignTiers(settings.tiers, Array.from(probabilities, (probability, row) => ({ id: id(row), probability, score: scale.score(probability) })));
      tierOfRow = Array.from({ length: rowCount }, (_, row) => tierOf.get(id(row))!);
    }
  }
  const bar = options.progress?.('Scoring leads', rowCount);
  const scored: ScoredLead[] = [];
  for (const rows of chunks) {
    const tiers = tierOfRow;
    const chunkSettings = tiers ? { ...settings, tierOf: (i: number) => tiers[rows[i]] } : settings;
    scored.push(...scoreMatrix(model, matrixOf(rows), chunkSettings));
    bar?.tick(rows.length);
  }
  bar?.done();
  return scored;
}

/**
 * Ranked among the file's rows, a lead's reasons say why it stands above or below them: the
 * file's typical lead. Only the middle fifth's contributions are needed once every row's
 * probability is known, so only those rows (and a margin) are explained here.
 */
function fileTypicalLead(model: ScoringModel, raw: Float64Array, chunks: number[][], matrixOf: (rows: number[]) => FeatureMatrix, chunk: number): number[] | undefined {
  const contributionsOf = (rows: number[]) => blendedContributions(model.forest, model.blend, matrixOf(rows));
  const { band, sum } = typicalOfBand(raw);
  for (let start = 0; start < band.length; start += chunk) {
    const rows = band.slice(start, start + chunk);
    sum.add(contributionsOf(rows), rows.map((row) => raw[row]));
  }
  const typical = sum.result();
  if (typical !== null) return typical;
  const all = new TypicalLeadSum();
  for (const rows of chunks) all.add(contributionsOf(rows));
  return all.result() ?? undefined;
}

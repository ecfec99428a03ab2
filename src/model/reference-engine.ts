import { RandomForestClassifier } from 'ml-random-forest';
import { InputError } from '../domain/errors.js';
import type { FeatureMatrix } from '../features/types.js';
import type { Engine, ForestOptions } from './engine.js';
import { FlatForest } from './forest/flat-forest.js';
import { concatTrees } from './forest/forest-arrays.js';
import type { FlatTree } from './forest/flat-tree.js';
import { flattenCartTree, type CartNode } from './forest/from-ml-cart.js';
import { featuresPerSplit, validateForestOptions } from './forest/options.js';
import { createRandom, treeSeed } from './forest/prng.js';
import { checkTrainingInput } from './forest/training-input.js';

/**
 * The reference engine: ml-random-forest's RandomForestClassifier, kept to measure the fast
 * engine against. How ForestOptions map onto it:
 * - trees -> one single-tree forest per tree, seeded from (seed, tree index), so progress can
 *   be reported per tree and results do not depend on anything but the seed;
 * - maxDepth -> ml-cart maxDepth; minLeaf -> ml-cart minNumSamples (a node with that many rows
 *   or fewer is not split, a slightly different rule from a minimum leaf size);
 * - maxFeatures -> features drawn per tree without replacement (ml-random-forest draws per
 *   tree, not per split as the fast engine does);
 * - sampleFraction < 1 -> each tree bootstraps from a random subset of that fraction of rows;
 * - classWeight 'balanced' -> ml-cart has no weights, so splits are unweighted and only the
 *   leaf shares are reweighted (the value a weighted tree would hold in the same leaf);
 * - criterion -> always gini (ml-cart supports nothing else); threads -> always 1.
 * NaN cannot enter ml-cart: missing cells are imputed with training medians, and scoring
 * sends a missing value the way its median goes. Scores are the mean leaf share over trees
 * (soft voting), and reasons are tree-path attributions over the converted trees.
 */
export const referenceEngine: Engine = {
  name: 'ml-random-forest',
  async fit(x: FeatureMatrix, y: Uint8Array, options: ForestOptions, onProgress, sampleWeights) {
    if (sampleWeights) {
      throw new InputError("The ml-random-forest engine cannot weight rows; train with the 'fast' engine for recency weighting.");
    }
    const opts = validateForestOptions(options);
    const { positives } = checkTrainingInput(x, y);
    const features = x.columns.length;
    const medians = x.columns.map(median);
    const training = new Float64Array(x.rows * features);
    for (let f = 0; f < features; f++) {
      const col = x.columns[f];
      for (let r = 0; r < x.rows; r++) training[r * features + f] = col[r] === col[r] ? col[r] : medians[f];
    }
    const matrix = Array.from({ length: x.rows }, (_, r) => Array.from(training.subarray(r * features, (r + 1) * features)));
    const labels = Array.from(y);
    const negatives = x.rows - positives;
    const classWeights: [number, number] = opts.classWeight === 'balanced' ? [x.rows / (2 * negatives), x.rows / (2 * positives)] : [1, 1];
    const perTree = featuresPerSplit(opts.maxFeatures, features);
    const medianArray = Float64Array.from(medians);

    const trees: FlatTree[] = [];
    for (let t = 0; t < opts.trees; t++) {
      const seed = treeSeed(opts.seed, t);
      const rows = subsample(x.rows, opts.sampleFraction, seed);
      const forest = new RandomForestClassifier({
        nEstimators: 1,
        // A whole count; ml-random-forest reads 1 as the fraction 1.0, which is the same here.
        maxFeatures: perTree,
        replacement: false,
        seed: seed & 0x7fffffff,
        useSampleBagging: true,
        noOOB: true,
        // ml-cart's default gain threshold (0.01) stops most splits on imbalanced data, where gini gains are small.
        treeOptions: { maxDepth: opts.maxDepth, minNumSamples: opts.minLeaf, gainFunction: 'gini', gainThreshold: 0 },
      });
      forest.train(rows ? rows.map((r) => matrix[r]) : matrix, rows ? rows.map((r) => labels[r]) : labels);
      const estimator = forest.estimators![0] as unknown as { root: CartNode };
      trees.push(flattenCartTree(estimator.root, { columns: forest.indexes![0], medians: medianArray, classWeights, training, features }));
      onProgress?.(t + 1, opts.trees);
      // Let timers (progress bars, signals) run between slow trees.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return new FlatForest('ml-random-forest', concatTrees(trees), x.defs.map((d) => d.name), opts);
  },
};

function median(column: Float64Array): number {
  const present = column.filter((v) => v === v).sort();
  if (present.length === 0) return 0;
  const mid = present.length >> 1;
  return present.length % 2 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
}

/** Rows a tree may bootstrap from when sampleFraction < 1; null means all rows. */
function subsample(rows: number, fraction: number, seed: number): number[] | null {
  if (fraction >= 1) return null;
  const random = createRandom(seed ^ 0x5bd1e995);
  const order = Array.from({ length: rows }, (_, i) => i);
  const take = Math.max(2, Math.round(fraction * rows));
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (rows - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, take).sort((a, b) => a - b);
}

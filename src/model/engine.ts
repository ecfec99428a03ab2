import type { FeatureMatrix } from '../features/types.js';

export type EngineName = 'fast' | 'ml-random-forest';

export interface ForestOptions {
  trees: number;
  /** Maximum tree depth (root = depth 0). */
  maxDepth: number;
  /** Minimum rows in a leaf. */
  minLeaf: number;
  /** Features tried per split: a count, or a fraction of all features (0-1]. 'sqrt' = sqrt(features). */
  maxFeatures: number | 'sqrt';
  /** Rows drawn per tree as a fraction of all rows (bootstrap, with replacement). */
  sampleFraction: number;
  /** 'balanced' weights classes inversely to their frequency so rare conversions count. */
  classWeight: 'balanced' | 'none';
  seed: number;
  /** Worker threads; default: available cores. 1 trains on the calling thread. */
  threads?: number;
  /** Split impurity; default 'gini'. */
  criterion?: 'gini' | 'entropy';
}

/**
 * scikit-learn-like defaults, not tuned on any test part. No class weighting: 'balanced'
 * distorts leaf probabilities, and the calibrator fixes the base rate anyway.
 */
export const defaultForestOptions: ForestOptions = {
  trees: 100,
  maxDepth: 8,
  minLeaf: 5,
  maxFeatures: 'sqrt',
  sampleFraction: 1,
  classWeight: 'none',
  seed: 42,
};

/** Per-row, per-feature additive contributions: prediction(row) = bias + sum(values[row][f]). */
export interface Contributions {
  bias: number;
  /** Row-major: values[row * features + f]. */
  values: Float64Array;
  features: number;
}

export interface TrainedForest {
  readonly engine: EngineName;
  /** Uncalibrated probability of the positive class, one per row. */
  predict(x: FeatureMatrix): Float64Array;
  /** Additive feature attributions of predict() (tree path attribution / Saabas or TreeSHAP). */
  contributions(x: FeatureMatrix): Contributions;
  /** Versioned, JSON-safe form; `loadForest` reverses it. */
  toJSON(): SavedForest;
}

export interface SavedForest {
  engine: EngineName;
  formatVersion: number;
  [key: string]: unknown;
}

export interface Engine {
  readonly name: EngineName;
  /** true when fit() honours per-row sample weights (model.recencyHalfLife). */
  readonly weighsRows?: boolean;
  fit(
    x: FeatureMatrix,
    y: Uint8Array,
    options: ForestOptions,
    onProgress?: (treesDone: number, treesTotal: number) => void,
    /** Optional per-row weights (e.g. recency); engines that cannot use them refuse them. */
    sampleWeights?: Float64Array,
  ): Promise<TrainedForest>;
}

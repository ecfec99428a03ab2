import { availableParallelism } from 'node:os';
import type { FeatureMatrix } from '../../features/types.js';
import type { Engine, ForestOptions } from '../engine.js';
import { binMatrix } from './binning.js';
import { FlatForest } from './flat-forest.js';
import { concatTrees } from './forest-arrays.js';
import { featuresPerSplit, validateForestOptions } from './options.js';
import { checkSampleWeights, checkTrainingInput } from './training-input.js';
import { trainTrees } from './train-trees.js';
import type { TreeSettings } from './tree-builder.js';

/** The default engine: histogram random forest on binned features, trained across cores. */
export const fastEngine: Engine = {
  name: 'fast',
  weighsRows: true,
  async fit(x: FeatureMatrix, y: Uint8Array, options: ForestOptions, onProgress, sampleWeights) {
    const opts = validateForestOptions(options);
    const { positives } = checkTrainingInput(x, y);
    checkSampleWeights(sampleWeights, x.rows);
    const binned = binMatrix(x);
    const negatives = x.rows - positives;
    const settings: TreeSettings = {
      maxDepth: opts.maxDepth,
      minLeaf: opts.minLeaf,
      featuresPerSplit: featuresPerSplit(opts.maxFeatures, binned.features),
      sampleFraction: opts.sampleFraction,
      criterion: opts.criterion ?? 'gini',
      // 'balanced' as in scikit-learn: n / (2 * class count), so both classes weigh the same.
      classWeights: opts.classWeight === 'balanced' ? [x.rows / (2 * negatives), x.rows / (2 * positives)] : [1, 1],
      seed: opts.seed,
    };
    const sharedY = new Uint8Array(new SharedArrayBuffer(x.rows));
    sharedY.set(y);
    const threads = opts.threads ?? availableParallelism();
    let sharedWeights: Float64Array | undefined;
    if (sampleWeights) {
      sharedWeights = new Float64Array(new SharedArrayBuffer(x.rows * Float64Array.BYTES_PER_ELEMENT));
      sharedWeights.set(sampleWeights);
    }
    const trees = await trainTrees({ binned, y: sharedY, sampleWeights: sharedWeights }, settings, opts.trees, threads, onProgress);
    return new FlatForest('fast', concatTrees(trees), x.defs.map((d) => d.name), opts);
  },
};


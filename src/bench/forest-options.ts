import type { ModelConfig } from '../config/schema.js';
import type { ForestOptions } from '../model/engine.js';

/**
 * The forest's own settings out of config `model`, picked by name: keys that belong to the
 * shipped model around the forest (engine, blend, and any added later) never reach an engine.
 */
export function forestOptionsFrom(model: ModelConfig, trees: number, threads: number): ForestOptions {
  const { maxDepth, minLeaf, maxFeatures, sampleFraction, classWeight, seed, criterion } = model;
  return { trees, threads, maxDepth, minLeaf, maxFeatures, sampleFraction, classWeight, seed, ...(criterion ? { criterion } : {}) };
}

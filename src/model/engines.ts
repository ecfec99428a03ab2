import { InputError } from '../domain/errors.js';
import type { Engine, EngineName, SavedForest, TrainedForest } from './engine.js';
import { fastEngine } from './forest/fast-engine.js';
import { loadFlatForest } from './forest/flat-forest.js';
import { referenceEngine } from './reference-engine.js';

const engines: Record<EngineName, Engine> = {
  fast: fastEngine,
  'ml-random-forest': referenceEngine,
};

export const engineNames = Object.keys(engines) as EngineName[];

export function getEngine(name: EngineName | string): Engine {
  const engine = (engines as Record<string, Engine | undefined>)[name];
  if (!engine || !Object.hasOwn(engines, name)) {
    throw new InputError(`Unknown engine "${name}"; choose one of: ${engineNames.join(', ')}.`);
  }
  return engine;
}

/** Reverses TrainedForest.toJSON() for whichever engine wrote it. */
export function loadForest(saved: SavedForest): TrainedForest {
  if (typeof saved !== 'object' || saved === null) throw new InputError('The saved model is not a JSON object; retrain the model.');
  if (!Object.hasOwn(engines, saved.engine)) {
    throw new InputError(`The saved model names engine "${String(saved.engine)}", which this leadlift does not know; choose one of: ${engineNames.join(', ')}.`);
  }
  // Both engines save their trees in the same flat form.
  return loadFlatForest(saved);
}

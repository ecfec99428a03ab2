import { z } from 'zod';
import { issueAtKey } from '../../config/issue-words.js';
import { InputError } from '../../domain/errors.js';
import type { FeatureMatrix } from '../../features/types.js';
import type { Contributions, EngineName, ForestOptions, SavedForest, TrainedForest } from '../engine.js';
import type { ForestArrays } from './forest-arrays.js';
import { contributeRows, predictRows, walkerFor } from './forest-scoring.js';
import { fromBase64, toBase64 } from './typed-base64.js';

export const FLAT_FORMAT_VERSION = 1;

/**
 * A trained forest held as flat arrays, scored without bins or training data. Both engines end
 * here: the fast engine builds these arrays directly, the reference engine converts its trees.
 */
export class FlatForest implements TrainedForest {
  private readonly walker: ReturnType<typeof walkerFor>;

  constructor(
    readonly engine: EngineName,
    readonly arrays: ForestArrays,
    readonly featureNames: string[],
    readonly options: ForestOptions,
  ) {
    this.walker = walkerFor(arrays);
  }

  get trees(): number {
    return this.arrays.roots.length;
  }

  predict(x: FeatureMatrix): Float64Array {
    this.checkShape(x);
    return predictRows(this.walker, x);
  }

  contributions(x: FeatureMatrix): Contributions {
    this.checkShape(x);
    return contributeRows(this.walker, x);
  }

  toJSON(): SavedForest {
    const a = this.arrays;
    return {
      engine: this.engine,
      formatVersion: FLAT_FORMAT_VERSION,
      options: this.options,
      features: this.featureNames.length,
      featureNames: this.featureNames,
      arrays: {
        roots: toBase64(a.roots),
        feature: toBase64(a.feature),
        threshold: toBase64(a.threshold),
        left: toBase64(a.left),
        right: toBase64(a.right),
        missingLeft: toBase64(a.missingLeft),
        value: toBase64(a.value),
      },
    };
  }

  private checkShape(x: FeatureMatrix): void {
    if (x.columns.length !== this.featureNames.length) {
      throw new InputError(
        `The model was trained on ${this.featureNames.length} features but the data has ${x.columns.length}; score with the same feature settings the model was trained with.`,
      );
    }
  }
}

const savedFastSchema = z.object({
  engine: z.enum(['fast', 'ml-random-forest']),
  formatVersion: z.number(),
  options: z.record(z.unknown()),
  features: z.number().int().nonnegative(),
  featureNames: z.array(z.string()),
  arrays: z.object({
    roots: z.string(),
    feature: z.string(),
    threshold: z.string(),
    left: z.string(),
    right: z.string(),
    missingLeft: z.string(),
    value: z.string(),
  }),
});

export function loadFlatForest(saved: SavedForest): FlatForest {
  if (saved.formatVersion !== FLAT_FORMAT_VERSION) {
    const newer = typeof saved.formatVersion === 'number' && saved.formatVersion > FLAT_FORMAT_VERSION;
    throw new InputError(
      `Saved ${String(saved.engine)} forest has format version ${String(saved.formatVersion)}, but this leadlift reads version ${FLAT_FORMAT_VERSION}; ${newer ? 'upgrade leadlift to load it' : 'retrain the model'}.`,
    );
  }
  const parsed = savedFastSchema.safeParse(saved);
  if (!parsed.success) throw new InputError(`Saved forest is damaged: ${issueAtKey(parsed.error, 'forest')}; retrain the model.`);
  const s = parsed.data;
  const arrays: ForestArrays = {
    roots: decode(s.arrays.roots, Int32Array, 'roots'),
    feature: decode(s.arrays.feature, Int32Array, 'feature'),
    threshold: decode(s.arrays.threshold, Float64Array, 'threshold'),
    left: decode(s.arrays.left, Int32Array, 'left'),
    right: decode(s.arrays.right, Int32Array, 'right'),
    missingLeft: decode(s.arrays.missingLeft, Uint8Array, 'missingLeft'),
    value: decode(s.arrays.value, Float64Array, 'value'),
  };
  checkConsistent(arrays, s.features);
  if (s.featureNames.length !== s.features) throw new InputError('Saved forest is damaged: featureNames does not match features; retrain the model.');
  return new FlatForest(s.engine, arrays, s.featureNames, s.options as unknown as ForestOptions);
}

function decode<T extends Int32Array | Float64Array | Uint8Array>(text: string, Kind: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, name: string): T {
  const array = fromBase64(text, Kind);
  if (!array) throw new InputError(`Saved forest is damaged: array "${name}" has a partial element; retrain the model.`);
  return array;
}

/** Rejects arrays that would send a walk out of bounds or into a loop. */
function checkConsistent(a: ForestArrays, features: number): void {
  const n = a.feature.length;
  const same = [a.threshold, a.left, a.right, a.missingLeft, a.value].every((arr) => arr.length === n);
  let ok = same && a.roots.length > 0;
  for (let i = 0; ok && i < a.roots.length; i++) ok = a.roots[i] >= 0 && a.roots[i] < n;
  for (let i = 0; ok && i < n; i++) {
    if (a.feature[i] < 0) continue;
    // Pre-order (left child next, right child later) is what scoring relies on; it also rules out cycles.
    ok = a.feature[i] < features && a.left[i] === i + 1 && a.right[i] > i + 1 && a.right[i] < n;
  }
  if (!ok) throw new InputError('Saved forest is damaged: its tree arrays are inconsistent; retrain the model.');
}

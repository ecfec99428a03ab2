import type { FeatureMatrix } from '../../../src/features/types.js';

/** A FeatureMatrix from plain columns, for hand-made test data. */
export function matrix(columns: number[][]): FeatureMatrix {
  return {
    rows: columns[0].length,
    defs: columns.map((_, f) => ({ name: `f${f}`, source: `f${f}`, kind: 'numeric' as const, label: `Feature ${f}` })),
    columns: columns.map((c) => Float64Array.from(c)),
  };
}

/** Each value repeated `times` times, so a bootstrap sample surely holds every distinct value. */
export function repeat<T>(values: T[], times: number): T[] {
  return values.flatMap((v) => Array.from({ length: times }, () => v));
}

/**
 * One tree as parallel typed arrays, nodes in pre-order (root 0, a node's left child right
 * after it). A leaf has feature -1. A row goes left
 * when its raw value is <= threshold; a missing value follows missingLeft. value is the
 * (class-weighted) share of positives among the training rows that reached the node, so
 * scoring needs neither the bins nor the training data.
 */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  value: Float64Array;
}

export const LEAF = -1;

export function nodeCount(tree: FlatTree): number {
  return tree.feature.length;
}

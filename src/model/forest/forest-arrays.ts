import { LEAF, type FlatTree } from './flat-tree.js';

/**
 * Every tree of a forest in one set of typed arrays (child ids are absolute), which is what
 * scoring walks and what is saved. roots[t] is tree t's root node.
 */
export interface ForestArrays {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  value: Float64Array;
}

export function concatTrees(trees: FlatTree[]): ForestArrays {
  const total = trees.reduce((sum, t) => sum + t.feature.length, 0);
  const out: ForestArrays = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    missingLeft: new Uint8Array(total),
    value: new Float64Array(total),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    out.roots[t] = offset;
    out.feature.set(tree.feature, offset);
    out.threshold.set(tree.threshold, offset);
    out.missingLeft.set(tree.missingLeft, offset);
    out.value.set(tree.value, offset);
    for (let i = 0; i < tree.feature.length; i++) {
      out.left[offset + i] = tree.left[i] === LEAF ? LEAF : tree.left[i] + offset;
      out.right[offset + i] = tree.right[i] === LEAF ? LEAF : tree.right[i] + offset;
    }
    offset += tree.feature.length;
  });
  return out;
}

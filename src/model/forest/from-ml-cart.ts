import { LEAF, type FlatTree } from './flat-tree.js';

/** The parts of an ml-cart TreeNode this conversion reads (the library ships no types for it). */
export interface CartNode {
  splitColumn?: number;
  splitValue?: number;
  left?: CartNode;
  right?: CartNode;
  distribution?: { columns: number; get(row: number, column: number): number };
}

export interface CartConversion {
  /** Maps the tree's column numbers to matrix feature indexes (ml-random-forest bags features per tree). */
  columns: number[];
  /** Per feature: the value a missing cell was imputed with in training. */
  medians: Float64Array;
  /** Weight of a negative and a positive row; leaf shares are reweighted by them. */
  classWeights: [number, number];
  /** Training rows (imputed, row-major over all features), to weigh inner nodes by traffic. */
  training: Float64Array;
  features: number;
}

/**
 * Turns one ml-cart tree into the flat form the scorer walks. ml-cart sends a row left when
 * value < splitValue; the flat form uses value <= threshold, so the threshold is the double
 * just below splitValue. A missing value goes where its training median would, which is the
 * same as imputing the median. ml-cart keeps class shares only in leaves, so an inner node's
 * value is its leaves' values averaged by how many training rows reach each: the tree-path
 * attribution then telescopes exactly like the fast engine's.
 */
export function flattenCartTree(root: CartNode, c: CartConversion): FlatTree {
  const nodes: CartNode[] = [];
  const index = new Map<CartNode, number>();
  const visit = (node: CartNode) => {
    index.set(node, nodes.length);
    nodes.push(node);
    if (node.left && node.right) {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(root);
  const n = nodes.length;
  const tree: FlatTree = {
    feature: new Int32Array(n),
    threshold: new Float64Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    missingLeft: new Uint8Array(n),
    value: new Float64Array(n),
  };
  nodes.forEach((node, i) => {
    if (node.left && node.right) {
      const f = c.columns[node.splitColumn!];
      tree.feature[i] = f;
      tree.threshold[i] = nextDown(node.splitValue!);
      tree.left[i] = index.get(node.left)!;
      tree.right[i] = index.get(node.right)!;
      tree.missingLeft[i] = c.medians[f] < node.splitValue! ? 1 : 0;
    } else {
      tree.feature[i] = LEAF;
      tree.left[i] = LEAF;
      tree.right[i] = LEAF;
      tree.value[i] = leafShare(node, c.classWeights);
    }
  });
  fillInnerValues(tree, c);
  return tree;
}

function leafShare(node: CartNode, [w0, w1]: [number, number]): number {
  const d = node.distribution;
  if (!d) return 0;
  const positive = d.columns > 1 ? d.get(0, 1) : 0;
  const weighted = positive * w1 + (1 - positive) * w0;
  return weighted > 0 ? (positive * w1) / weighted : 0;
}

function fillInnerValues(tree: FlatTree, c: CartConversion): void {
  const n = tree.feature.length;
  const traffic = new Float64Array(n);
  const rows = c.training.length / c.features;
  for (let r = 0; r < rows; r++) {
    const o = r * c.features;
    let node = 0;
    traffic[0]++;
    while (tree.feature[node] >= 0) {
      node = c.training[o + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      traffic[node]++;
    }
  }
  // Children come after their parent, so a backward pass sees both children first.
  for (let i = n - 1; i >= 0; i--) {
    if (tree.feature[i] < 0) continue;
    const l = tree.left[i];
    const r = tree.right[i];
    const total = traffic[l] + traffic[r];
    tree.value[i] = total > 0 ? (traffic[l] * tree.value[l] + traffic[r] * tree.value[r]) / total : (tree.value[l] + tree.value[r]) / 2;
  }
}

/** The largest double below x. */
function nextDown(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const buffer = new Float64Array([x]);
  const bits = new BigInt64Array(buffer.buffer);
  bits[0] += x > 0 ? -1n : 1n;
  return buffer[0];
}

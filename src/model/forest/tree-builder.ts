import { MISSING_BIN, type BinnedMatrix } from './binning.js';
import { LEAF, type FlatTree } from './flat-tree.js';
import { createRandom, treeSeed, type Random } from './prng.js';
import { impurityFor, type WeightedImpurity } from './split-criterion.js';

/** What every tree of one forest shares; plain data so it can be posted to a worker. */
export interface TreeSettings {
  maxDepth: number;
  minLeaf: number;
  featuresPerSplit: number;
  sampleFraction: number;
  criterion: 'gini' | 'entropy';
  /** Weight of a negative and of a positive row. */
  classWeights: [number, number];
  seed: number;
  /** Keep full histograms and derive the larger child by subtraction; default: when it pays. */
  histogramSubtraction?: boolean;
}

export interface TrainingData {
  binned: BinnedMatrix;
  y: Uint8Array;
  /** Optional per-row weight (e.g. recency), multiplied into bootstrap count x class weight. */
  sampleWeights?: Float64Array;
}

const BINS = 256;
/** Histogram slot layout: [weight, positive weight, row count] per bin. */
const CH = 3;

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** Every present value left, every missing value right. */
  presentVsMissing: boolean;
}

/** A full per-feature histogram of one node, with the occupied value-bin range per feature. */
interface NodeHistogram {
  h: Float64Array;
  lo: Int32Array;
  hi: Int32Array;
}

/**
 * Grows trees on binned data. One builder per thread; its buffers are reused from tree to tree.
 * Bootstrap duplicates are kept as per-row counts rather than copies, so a node holds distinct
 * row indices and each row carries weight = count x class weight (x its sample weight, if any).
 */
export class TreeBuilder {
  private readonly rows: number;
  private readonly features: number;
  private readonly codes: Uint8Array;
  private readonly edges: Float64Array[];
  private readonly y: Uint8Array;
  private readonly sampleWeights: Float64Array | undefined;
  private readonly settings: TreeSettings;
  private readonly impurity: WeightedImpurity;
  /** Per row: weight, positive weight, bootstrap count. */
  private readonly rowStats: Float64Array;
  private readonly index: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly featureOrder: Int32Array;
  private readonly hist: Float64Array;
  /** Full histograms per node pay off only when most features are tried at every split. */
  private readonly useSubtraction: boolean;
  private readonly freeHistograms: NodeHistogram[] = [];
  private random: Random = Math.random;

  // The tree being grown.
  private feature: Int32Array;
  private threshold: Float64Array;
  private left: Int32Array;
  private right: Int32Array;
  private missingLeft: Uint8Array;
  private value: Float64Array;
  private nodes = 0;

  constructor(data: TrainingData, settings: TreeSettings) {
    this.rows = data.binned.rows;
    this.features = data.binned.features;
    this.codes = data.binned.codes;
    this.edges = data.binned.edges;
    this.y = data.y;
    this.sampleWeights = data.sampleWeights;
    this.settings = settings;
    this.impurity = impurityFor(settings.criterion);
    this.rowStats = new Float64Array(this.rows * CH);
    this.index = new Uint32Array(this.rows);
    this.scratch = new Uint32Array(this.rows);
    this.featureOrder = new Int32Array(this.features);
    this.hist = new Float64Array(BINS * CH);
    this.useSubtraction = settings.histogramSubtraction ?? settings.featuresPerSplit * 2 > this.features;
    const capacity = 2 * this.rows + 1;
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.missingLeft = new Uint8Array(capacity);
    this.value = new Float64Array(capacity);
  }

  build(treeIndex: number): FlatTree {
    this.random = createRandom(treeSeed(this.settings.seed, treeIndex));
    for (let f = 0; f < this.features; f++) this.featureOrder[f] = f;
    const used = this.bootstrap();
    this.nodes = 0;
    let w = 0;
    let p = 0;
    let n = 0;
    const rs = this.rowStats;
    for (let i = 0; i < used; i++) {
      const o = this.index[i] * CH;
      w += rs[o];
      p += rs[o + 1];
      n += rs[o + 2];
    }
    let rootHist: NodeHistogram | null = null;
    if (this.useSubtraction) {
      rootHist = this.takeHistogram();
      this.fillHistogram(rootHist, 0, used);
    }
    this.grow(0, used, 0, w, p, n, rootHist);
    const count = this.nodes;
    return {
      feature: this.feature.slice(0, count),
      threshold: this.threshold.slice(0, count),
      left: this.left.slice(0, count),
      right: this.right.slice(0, count),
      missingLeft: this.missingLeft.slice(0, count),
      value: this.value.slice(0, count),
    };
  }

  /** Draws rows with replacement; returns how many distinct rows landed in `index`. */
  private bootstrap(): number {
    const { rows, rowStats: rs, y, sampleWeights: sw } = this;
    const [w0, w1] = this.settings.classWeights;
    rs.fill(0);
    const draws = Math.max(1, Math.round(this.settings.sampleFraction * rows));
    for (let d = 0; d < draws; d++) rs[Math.floor(this.random() * rows) * CH + 2]++;
    let used = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * CH;
      const c = rs[o + 2];
      if (c === 0) continue;
      const positive = y[r] === 1;
      // Row counts (minLeaf) stay bootstrap counts; only the impurity and leaf values see weights.
      const w = c * (positive ? w1 : w0) * (sw ? sw[r] : 1);
      rs[o] = w;
      rs[o + 1] = positive ? w : 0;
      this.index[used++] = r;
    }
    return used;
  }

  /** Grows the node over index[start, end) and returns its node id. Owns `hist` (if any). */
  private grow(start: number, end: number, depth: number, w: number, p: number, n: number, hist: NodeHistogram | null): number {
    const id = this.nodes++;
    this.value[id] = w > 0 ? p / w : 0;
    this.feature[id] = LEAF;
    this.left[id] = LEAF;
    this.right[id] = LEAF;
    this.threshold[id] = 0;
    this.missingLeft[id] = 0;

    const { minLeaf, maxDepth } = this.settings;
    const pure = p <= 0 || p >= w;
    const split = depth < maxDepth && n >= 2 * minLeaf && !pure ? this.findSplit(start, end, w, p, n, hist) : null;
    if (split === null) {
      if (hist) this.freeHistograms.push(hist);
      return id;
    }

    const { leftEnd, lw, lp, ln } = this.partition(start, end, split);
    const edges = this.edges[split.feature];
    this.feature[id] = split.feature;
    this.threshold[id] = split.presentVsMissing || split.bin >= edges.length ? Infinity : edges[split.bin];
    this.missingLeft[id] = split.missingLeft ? 1 : 0;

    let leftHist: NodeHistogram | null = null;
    let rightHist: NodeHistogram | null = null;
    if (hist) {
      // Count the smaller child, and get the larger one as parent minus smaller.
      const small = this.takeHistogram();
      const leftSmaller = leftEnd - start <= end - leftEnd;
      if (leftSmaller) this.fillHistogram(small, start, leftEnd);
      else this.fillHistogram(small, leftEnd, end);
      const ph = hist.h;
      const sh = small.h;
      for (let i = 0; i < ph.length; i++) ph[i] -= sh[i];
      if (leftSmaller) {
        leftHist = small;
        rightHist = hist;
      } else {
        leftHist = hist;
        rightHist = small;
      }
    }
    this.left[id] = this.grow(start, leftEnd, depth + 1, lw, lp, ln, leftHist);
    this.right[id] = this.grow(leftEnd, end, depth + 1, w - lw, p - lp, n - ln, rightHist);
    return id;
  }

  /** Tries features in a fresh random order until featuresPerSplit were tried and one split is valid. */
  private findSplit(start: number, end: number, w: number, p: number, n: number, hist: NodeHistogram | null): Split | null {
    const order = this.featureOrder;
    const F = this.features;
    const parent = this.impurity(w, p);
    const best: Split = { gain: 1e-12 * w, feature: -1, bin: 0, missingLeft: false, presentVsMissing: false };
    for (let k = 0; k < F; k++) {
      if (k >= this.settings.featuresPerSplit && best.feature >= 0) break;
      const j = k + Math.floor(this.random() * (F - k));
      const f = order[j];
      order[j] = order[k];
      order[k] = f;
      if (hist) {
        this.scanHistogram(hist.h, f * BINS * CH, hist.lo[f], hist.hi[f], f, w, p, n, parent, best);
      } else {
        const range = this.fillFeature(this.hist, 0, f, start, end);
        const lo = range & 0xffff;
        const hi = range >>> 16;
        this.scanHistogram(this.hist, 0, lo, hi, f, w, p, n, parent, best);
        this.clearFeature(this.hist, 0, lo, hi);
      }
    }
    return best.feature >= 0 ? best : null;
  }

  /**
   * Adds feature f's rows in index[start, end) into h at offset o. Returns the occupied
   * value-bin range packed as lo | hi << 16 (lo > hi when every value is missing).
   */
  private fillFeature(h: Float64Array, o: number, f: number, start: number, end: number): number {
    const { codes, index, rowStats: rs } = this;
    const base = f * this.rows;
    let lo = MISSING_BIN;
    let hi = 0;
    for (let i = start; i < end; i++) {
      const r = index[i];
      const c = codes[base + r];
      const s = r * CH;
      const b = o + c * CH;
      h[b] += rs[s];
      h[b + 1] += rs[s + 1];
      h[b + 2] += rs[s + 2];
      if (c !== MISSING_BIN) {
        if (c < lo) lo = c;
        if (c > hi) hi = c;
      }
    }
    return lo | (hi << 16);
  }

  private clearFeature(h: Float64Array, o: number, lo: number, hi: number): void {
    if (lo <= hi) h.fill(0, o + lo * CH, o + (hi + 1) * CH);
    h.fill(0, o + MISSING_BIN * CH, o + BINS * CH);
  }

  private fillHistogram(target: NodeHistogram, start: number, end: number): void {
    target.h.fill(0);
    for (let f = 0; f < this.features; f++) {
      const range = this.fillFeature(target.h, f * BINS * CH, f, start, end);
      target.lo[f] = range & 0xffff;
      target.hi[f] = range >>> 16;
    }
  }

  private takeHistogram(): NodeHistogram {
    return (
      this.freeHistograms.pop() ?? {
        h: new Float64Array(this.features * BINS * CH),
        lo: new Int32Array(this.features),
        hi: new Int32Array(this.features),
      }
    );
  }

  /**
   * Every threshold between occupied bins, with missing rows sent left and right; the extra
   * threshold after the last bin separates missing from present values.
   */
  private scanHistogram(h: Float64Array, o: number, lo: number, hi: number, f: number, w: number, p: number, n: number, parent: number, best: Split): void {
    const minLeaf = this.settings.minLeaf;
    const imp = this.impurity;
    const m = o + MISSING_BIN * CH;
    const mw = h[m];
    const mp = h[m + 1];
    const mn = h[m + 2];
    // A subtracted histogram inherits its parent's range: trim it to the occupied bins.
    while (hi >= lo && h[o + hi * CH + 2] === 0) hi--;
    while (lo < hi && h[o + lo * CH + 2] === 0) lo++;
    let lw = 0;
    let lp = 0;
    let ln = 0;
    for (let b = lo; b <= hi; b++) {
      const s = o + b * CH;
      const bn = h[s + 2];
      if (bn === 0) continue;
      lw += h[s];
      lp += h[s + 1];
      ln += bn;
      if (b < hi) {
        // Missing right.
        const rn = n - ln;
        if (ln >= minLeaf && rn >= minLeaf) {
          const gain = parent - imp(lw, lp) - imp(w - lw, p - lp);
          if (gain > best.gain) {
            best.gain = gain;
            best.feature = f;
            best.bin = b;
            // With no missing rows here, unseen missing values follow the heavier side.
            best.missingLeft = mn === 0 && lw > w - lw;
            best.presentVsMissing = false;
          }
        }
      }
      if (mn > 0) {
        if (b < hi) {
          // Missing left.
          const lnm = ln + mn;
          const rn = n - lnm;
          if (lnm >= minLeaf && rn >= minLeaf) {
            const gain = parent - imp(lw + mw, lp + mp) - imp(w - lw - mw, p - lp - mp);
            if (gain > best.gain) {
              best.gain = gain;
              best.feature = f;
              best.bin = b;
              best.missingLeft = true;
              best.presentVsMissing = false;
            }
          }
        } else if (ln >= minLeaf && mn >= minLeaf) {
          // All present values left, missing right.
          const gain = parent - imp(lw, lp) - imp(mw, mp);
          if (gain > best.gain) {
            best.gain = gain;
            best.feature = f;
            best.bin = b;
            best.missingLeft = false;
            best.presentVsMissing = true;
          }
        }
      }
    }
  }

  /**
   * Moves rows going left to the front of index[start, end), keeping both sides in row order
   * so later passes read codes and row stats nearly sequentially. Returns the boundary and left sums.
   */
  private partition(start: number, end: number, split: Split): { leftEnd: number; lw: number; lp: number; ln: number } {
    const { codes, index, scratch, rowStats: rs } = this;
    const base = split.feature * this.rows;
    const bin = split.bin;
    const missingLeft = split.missingLeft;
    let l = start;
    let k = 0;
    let lw = 0;
    let lp = 0;
    let ln = 0;
    for (let i = start; i < end; i++) {
      const r = index[i];
      const c = codes[base + r];
      const goesLeft = c === MISSING_BIN ? missingLeft : c <= bin;
      if (goesLeft) {
        const s = r * CH;
        lw += rs[s];
        lp += rs[s + 1];
        ln += rs[s + 2];
        index[l++] = r;
      } else {
        scratch[k++] = r;
      }
    }
    index.set(scratch.subarray(0, k), l);
    return { leftEnd: l, lw, lp, ln };
  }
}

/**
 * Node impurity times node weight, for a node holding weight w of which p is positive.
 * Smaller is purer; a split's quality is the parent's figure minus the children's sum.
 */
export type WeightedImpurity = (w: number, p: number) => number;

export const weightedGini: WeightedImpurity = (w, p) => (w > 0 ? (2 * p * (w - p)) / w : 0);

export const weightedEntropy: WeightedImpurity = (w, p) => {
  if (w <= 0 || p <= 0 || p >= w) return 0;
  const q = w - p;
  return -(p * Math.log2(p / w) + q * Math.log2(q / w));
};

export function impurityFor(criterion: 'gini' | 'entropy' | undefined): WeightedImpurity {
  return criterion === 'entropy' ? weightedEntropy : weightedGini;
}

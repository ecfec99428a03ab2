/**
 * Upper end of a two-sided 95% confidence interval for an AUC, from Hanley & McNeil (1982).
 * The loop refuses a model only when even this upper end is at or below chance: a small or
 * unusual newest slice can score a good model low by luck, and that alone must not stop scoring.
 */
export function aucUpperBound(aucValue: number, positives: number, negatives: number): number {
  if (positives === 0 || negatives === 0 || !Number.isFinite(aucValue)) return 1;
  const a = aucValue;
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const variance = (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (positives * negatives);
  return Math.min(1, a + 1.96 * Math.sqrt(Math.max(variance, 0)));
}

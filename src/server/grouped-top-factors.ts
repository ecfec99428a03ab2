import type { EvaluationCurves } from '../model/evaluation/curves.js';
import { reasonColumnOf } from '../scoring/reasons.js';

export interface GroupedFactor {
  /** The column reasons file the factor under (a correlated group's first column). */
  column: string;
  label: string;
  share: number;
  /** Labels of the correlated columns folded into this factor, as its reasons fold them. */
  foldedIn: string[];
}

/**
 * The stored top factors with correlated columns folded into one entry, named and grouped as
 * the per-lead reasons are (reasonColumnOf): a manager reading "Euribor rate" and "employment
 * variation rate" as separate top factors would be told something no rep ever reads.
 *
 * A group's share is the sum of its members' stored shares. Models trained before every column's
 * share was stored kept only their top ten: there a group's share is a lower bound.
 */
export function groupedTopFactors(
  factors: EvaluationCurves['topFactors'],
  reasonGroups: readonly (readonly string[])[],
  labelOf: (column: string) => string,
): GroupedFactor[] {
  const keyOf = reasonColumnOf(reasonGroups);
  const membersOf = new Map(reasonGroups.map((g) => [g[0], g.slice(1)]));
  const byKey = new Map<string, GroupedFactor>();
  for (const f of factors) {
    const key = keyOf(f.column);
    const members = membersOf.get(key);
    const entry = byKey.get(key) ?? { column: key, label: members ? labelOf(key) : f.label, share: 0, foldedIn: members?.map(labelOf) ?? [] };
    entry.share += f.share;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map((e) => ({ ...e, share: Math.round(e.share * 10_000) / 10_000 }))
    .sort((a, b) => b.share - a.share || a.column.localeCompare(b.column));
}

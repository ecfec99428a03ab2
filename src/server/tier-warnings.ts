import { createHash } from 'node:crypto';
import type { Tier } from '../config/tiers.js';
import { counted } from '../domain/counted.js';
import { tierCounts, type ScoreDistribution } from './score-distribution.js';
import type { TierRow } from './tier-form.js';

/**
 * Capacities that are valid but almost surely a slip: a "top N a day" larger than a CRM's open
 * leads, or one that leaves every lower tier empty, puts all leads in one tier and makes the tiers
 * meaningless to reps; one that empties a named tier below it hides that tier from reps. Such tiers are saved only once the manager confirms them (see
 * `confirmToken`), worded with the page's own 1-based row numbers.
 */
export function tierWarnings(rows: readonly TierRow[], dist: ScoreDistribution): string[] {
  if (dist.total === 0) return [];
  const perCrm = dist.byCrm.map((c) => c.reduce((a, b) => a + b, 0)).filter((n) => n > 0);
  const largestCrm = Math.max(0, ...perCrm);
  const tiers = rows.map((row, i) => ({ row, number: i + 1 })).filter((t) => t.row.preview !== null);
  const warnings: string[] = [];
  tiers.forEach(({ row, number }, k) => {
    if (row.mode !== 'capacity') return;
    const n = Number(row.perDay);
    const lower = tiers.slice(k + 1);
    const lowerEmpty = lower.length > 0 && lower.every((t) => t.row.preview!.leads === 0);
    const exceeds = n > largestCrm;
    if (!lowerEmpty && !exceeds) return;
    const head = `Tier ${number} “${row.name}”: top ${n.toLocaleString('en-US')} a day`;
    const open = `${largestCrm.toLocaleString('en-US')} open leads${perCrm.length > 1 ? ' of the larger CRM' : ''}`;
    const below = lower.map((t) => `“${t.row.name}”`).join(', ');
    const held = row.preview!.leads;
    const share = held === dist.total ? `all ${held.toLocaleString('en-US')} open leads` : `${held.toLocaleString('en-US')} of the ${dist.total.toLocaleString('en-US')} open leads`;
    const empty = lowerEmpty ? `, so it would hold ${share} and ${below} would hold none` : '';
    warnings.push(exceeds ? `${head} is more than the ${open}${empty}.` : `${head} takes every open lead left${empty}.`);
  });
  return [...warnings, ...emptiedTiers(tiers, dist)];
}

/**
 * A minimum-score tier a "top N a day" tier above it leaves empty: its own threshold would give
 * it leads, but the capacity tier took them all, so reps would never see it. Not repeated when
 * the warning above already said every lower tier would hold none.
 */
function emptiedTiers(tiers: ReadonlyArray<{ row: TierRow; number: number }>, dist: ScoreDistribution): string[] {
  const byScore = tiers.filter((t) => t.row.mode === 'score');
  // What each minimum-score tier would hold if no capacity tier were above it.
  const alone = tierCounts(dist, byScore.map((t) => ({ name: t.row.name, min: Number(t.row.min) })));
  const out: string[] = [];
  byScore.forEach((t, k) => {
    const above = tiers.filter((c) => c.number < t.number && c.row.mode === 'capacity');
    if (above.length === 0 || t.row.preview!.leads > 0 || alone[k].leads === 0) return;
    // Already named by the warning of a capacity tier that leaves every tier below it empty.
    if (above.some((c) => tiers.filter((o) => o.number > c.number).every((o) => o.row.preview!.leads === 0))) return;
    const takers = above.map((c) => `“${c.row.name}” (top ${Number(c.row.perDay).toLocaleString('en-US')} a day)`).join(' and ');
    out.push(`Tier ${t.number} “${t.row.name}” would hold no leads: ${takers} above it ${above.length > 1 ? 'take' : 'takes'} all ${counted(alone[k].leads, 'open lead')} its minimum of ${t.row.min} would give it. Lower its minimum, lower the capacity, or remove the tier.`);
  });
  return out;
}

/**
 * What the confirm checkbox carries: a digest of the tiers warned about, so a confirmation given
 * for one set of tiers does not wave through a different one edited afterwards.
 */
export function confirmToken(tiers: readonly Tier[]): string {
  return createHash('sha256').update(JSON.stringify(tiers)).digest('hex').slice(0, 16);
}

/** The confirm checkbox's value in a submitted tier form (null when unticked). */
export function confirmOf(body: unknown): string | null {
  const value = (body as { confirm?: unknown } | null)?.confirm;
  return typeof value === 'string' ? value : null;
}

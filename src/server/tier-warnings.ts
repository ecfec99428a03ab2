import { createHash } from 'node:crypto';
import type { Tier } from '../config/tiers.js';
import type { ScoreDistribution } from './score-distribution.js';
import type { TierRow } from './tier-form.js';

/**
 * Capacities that are valid but almost surely a slip: a "top N a day" larger than a CRM's open
 * leads, or one that leaves every lower tier empty, puts all leads in one tier and makes the tiers
 * meaningless to reps. Such tiers are saved only once the manager confirms them (see
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
  return warnings;
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

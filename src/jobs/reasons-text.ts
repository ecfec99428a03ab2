import { formatReason, type LeadReasons } from '../scoring/reasons.js';

/**
 * The reasons a rep reads on the lead: one factor per line, those raising the score first, each
 * with its share of the score in points, e.g.
 *   +9 Contact is cellular
 *   -4 Number of contacts is 6
 */
export function reasonsText(reasons: LeadReasons | undefined): string {
  const lines = [...(reasons?.for ?? []), ...(reasons?.against ?? [])].map(formatReason);
  return lines.length > 0 ? lines.join('\n') : 'No single factor stands out: this lead scores like a typical lead.';
}

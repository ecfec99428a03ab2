import { formatReason, type LeadReasons, readingOrder } from '../scoring/reasons.js';

/**
 * The reasons a rep reads on the lead: one factor per line, each with its points above or below
 * the typical open lead, the side the lead leans to first (see readingOrder), e.g.
 *   +9 Contact is cellular
 *   -4 Number of contacts is 6
 */
export function reasonsText(reasons: LeadReasons | undefined): string {
  const lines = readingOrder(reasons).map(formatReason);
  return lines.length > 0 ? lines.join('\n') : 'No single factor stands out: this lead scores like a typical lead.';
}

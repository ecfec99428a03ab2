import type { Outcome } from '../types.js';
import type { OutcomeDefinition } from './config.js';

/**
 * Decides whether a contact has converted, was lost, or is still open, from its own properties
 * and its deals, following the configured definition. Pure: the data comes from outcomes.ts.
 */

export interface ContactFacts {
  lifecycleStage: string | null;
  leadStatus: string | null;
  /** hs_lifecyclestage_<stage>_date per stage, when HubSpot recorded it. */
  stageDates: Record<string, string | null>;
  modifiedAt: string;
}

export interface DealFacts {
  id: string;
  stage: string | null;
  closedAt: string | null;
  modifiedAt: string | null;
  isClosedWon: boolean | null;
  isClosed: boolean | null;
}

export interface Decision {
  outcome: Outcome;
  outcomeAt: string;
  evidence: string;
}

export function decideOutcome(contact: ContactFacts, deals: DealFacts[], definition: OutcomeDefinition): Decision | null {
  const won: Decision[] = [];
  for (const deal of deals) {
    if (deal.isClosedWon === true || (deal.stage !== null && definition.wonDealStages.includes(deal.stage))) {
      won.push({ outcome: 'won', outcomeAt: iso(deal.closedAt ?? deal.modifiedAt ?? contact.modifiedAt), evidence: `deal ${deal.id} ${deal.stage ?? 'closed won'}` });
    }
  }
  if (contact.lifecycleStage !== null && definition.wonLifecycleStages.includes(contact.lifecycleStage)) {
    const stageDate = contact.stageDates[contact.lifecycleStage];
    won.push({
      outcome: 'won',
      outcomeAt: iso(stageDate ?? contact.modifiedAt),
      evidence: `lifecyclestage=${contact.lifecycleStage}${stageDate ? '' : ' (date from lastmodifieddate)'}`,
    });
  }
  // The conversion happened at the first sign of it.
  if (won.length > 0) return won.reduce((a, b) => (Date.parse(b.outcomeAt) < Date.parse(a.outcomeAt) ? b : a));

  const lostDeals = deals.filter(
    (d) => (d.stage !== null && definition.lostDealStages.includes(d.stage)) || (d.isClosed === true && d.isClosedWon === false),
  );
  if (deals.length > 0 && lostDeals.length === deals.length) {
    const last = lostDeals.reduce((a, b) => (Date.parse(b.closedAt ?? b.modifiedAt ?? '') > Date.parse(a.closedAt ?? a.modifiedAt ?? '') ? b : a));
    return {
      outcome: 'lost',
      outcomeAt: iso(last.closedAt ?? last.modifiedAt ?? contact.modifiedAt),
      evidence: deals.length === 1 ? `deal ${last.id} ${last.stage ?? 'closed lost'}` : `all ${deals.length} deals closed lost (last: deal ${last.id})`,
    };
  }
  // A lead status only closes a lead that has no deal still in play.
  if (deals.length === 0 && contact.leadStatus !== null && definition.lostLeadStatuses.includes(contact.leadStatus)) {
    return { outcome: 'lost', outcomeAt: iso(contact.modifiedAt), evidence: `hs_lead_status=${contact.leadStatus} (date from lastmodifieddate)` };
  }
  return null;
}

function iso(value: string): string {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

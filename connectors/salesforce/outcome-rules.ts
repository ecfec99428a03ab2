import type { Outcome } from '../types.js';
import type { OutcomeDefinition } from './config.js';

/**
 * When a lead counts as won or lost, from what Salesforce records: conversion, the converted
 * opportunity's stage, and the lead status. Open leads (and converted ones whose opportunity is
 * still open) have no outcome yet.
 */

export interface LeadFacts {
  isConverted: boolean;
  convertedDate: string | null; // YYYY-MM-DD
  status: string | null;
  /** When Status took its current value, from LeadHistory; null where field history cannot tell. */
  statusSetAt: string | null;
  /** LastModifiedDate: the fallback date of a status, which any later edit moves forward. */
  modifiedAt: string;
}

export interface OpportunityFacts {
  id: string;
  isClosed: boolean;
  isWon: boolean;
  closeDate: string | null; // YYYY-MM-DD
  stage: string | null;
}

export interface Decision {
  outcome: Outcome;
  outcomeAt: string;
  evidence: string;
}

export function decideLeadOutcome(lead: LeadFacts, opportunity: OpportunityFacts | null, definition: OutcomeDefinition): Decision | null {
  if (lead.isConverted) {
    const convertedAt = dateToIso(lead.convertedDate) ?? lead.modifiedAt;
    if (definition.wonWhen === 'converted') return { outcome: 'won', outcomeAt: convertedAt, evidence: 'IsConverted=true' };
    if (opportunity?.isClosed) {
      const closedAt = dateToIso(opportunity.closeDate) ?? convertedAt;
      if (opportunity.isWon) return { outcome: 'won', outcomeAt: closedAt, evidence: `converted; opportunity ${opportunity.id} ${opportunity.stage ?? 'Closed Won'}` };
      if (definition.lostWhenOpportunityLost) return { outcome: 'lost', outcomeAt: closedAt, evidence: `converted; opportunity ${opportunity.id} ${opportunity.stage ?? 'Closed Lost'}` };
    }
    return null;
  }
  if (closedByStatus(lead, definition)) {
    return { outcome: 'lost', outcomeAt: lead.statusSetAt ?? lead.modifiedAt, evidence: `Status=${lead.status}` };
  }
  return null;
}

/**
 * An unconverted lead whose Status is one of the closed (lost) ones: its outcome comes from Status.
 * Compared as Salesforce compares picklist values (ignoring case), and ignoring spaces around them.
 */
export function closedByStatus(lead: Pick<LeadFacts, 'isConverted' | 'status'>, definition: OutcomeDefinition): boolean {
  if (lead.isConverted || lead.status === null) return false;
  const status = sameStatus(lead.status);
  return definition.lostStatuses.some((s) => sameStatus(s) === status);
}

/** A Status value in the form two spellings Salesforce treats alike share. */
export function sameStatus(value: string): string {
  return value.trim().toLowerCase();
}

/** A contact is won when one of its opportunities is won, lost when it has some and all closed lost. */
export function decideContactOutcome(opportunities: OpportunityFacts[], definition: OutcomeDefinition): Decision | null {
  const won = opportunities.filter((o) => o.isClosed && o.isWon).sort(byCloseDate)[0];
  if (won) return { outcome: 'won', outcomeAt: dateToIso(won.closeDate) ?? new Date(0).toISOString(), evidence: `opportunity ${won.id} ${won.stage ?? 'Closed Won'}` };
  if (!definition.lostWhenOpportunityLost || opportunities.length === 0 || !opportunities.every((o) => o.isClosed)) return null;
  const last = [...opportunities].sort(byCloseDate).at(-1)!;
  return { outcome: 'lost', outcomeAt: dateToIso(last.closeDate) ?? new Date(0).toISOString(), evidence: `all ${opportunities.length} opportunities closed lost` };
}

function byCloseDate(a: OpportunityFacts, b: OpportunityFacts): number {
  return (a.closeDate ?? '').localeCompare(b.closeDate ?? '');
}

/** Salesforce dates (YYYY-MM-DD) are whole days; the app keeps them as midnight UTC. */
function dateToIso(date: string | null): string | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  return `${date}T00:00:00.000Z`;
}

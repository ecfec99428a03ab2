/**
 * The probability as leadlift writes it to the CRM: four decimals, all Salesforce's Number(5,4)
 * field keeps (connectors/salesforce/field-spec.ts); HubSpot is sent the same so both CRMs show
 * one value. Every comparison of a probability with what was written or what the CRM shows goes
 * through this, so float noise below the fourth decimal never costs a write, and a change the
 * CRM would show always does.
 */
export const PROBABILITY_DECIMALS = 4;

const FACTOR = 10 ** PROBABILITY_DECIMALS;

export function writtenProbability(probability: number): number {
  return Math.round(probability * FACTOR) / FACTOR;
}

import type { ApiCaller } from './api-caller.js';
import type { SalesforceConfig } from './config.js';
import { sameStatus } from './outcome-rules.js';
import { LeadliftError } from '../../src/domain/errors.js';
import { describeObject } from './describe-object.js';

/**
 * The configured lost statuses that are not Lead Status values in this org, with the org's values.
 * Such a value closes no lead, and nothing else would show it: outcomes simply come out all won.
 * Read from the cycle's describe of Lead (describe-object.ts), so a picklist edited in Setup is
 * seen at the next run.
 */
export async function unknownLostStatuses(caller: ApiCaller, config: SalesforceConfig): Promise<{ unknown: string[]; values: string[] } | null> {
  if (config.object !== 'Lead' || config.outcome.lostStatuses.length === 0) return null;
  const described = await describeObject(caller, 'Lead', 'describing Lead to check SALESFORCE_LOST_STATUSES');
  const status = described.fields.find((f) => f.name === 'Status');
  const values = (status?.picklistValues ?? []).filter((v) => v.active !== false && typeof v.value === 'string').map((v) => v.value as string);
  if (values.length === 0) return null;
  const known = new Set(values.map(sameStatus));
  const unknown = config.outcome.lostStatuses.filter((s) => !known.has(sameStatus(s)));
  return unknown.length === 0 ? null : { unknown, values };
}

/**
 * A lost status the org does not have is a setting to fix, not a warning to read later: under it
 * the leads that status closes count as open, so the outcome rule's change re-derives them as open
 * and the cycle would score closed-lost leads and write "Hot" onto them. Exit 2, nothing changed.
 */
export class UnknownLostStatusError extends LeadliftError {
  constructor(unknown: string[], values: string[]) {
    const quoted = (list: string[]) => list.map((v) => `"${v}"`).join(', ');
    const one = unknown.length === 1;
    super(
      `SALESFORCE_LOST_STATUSES names ${quoted(unknown)}, which ${one ? 'is not a' : 'are not'} Lead Status value${one ? '' : 's'} in this org, ` +
        `so no lead is counted lost by ${one ? 'it' : 'them'}. The org's Lead Status values are ${quoted(values)} ` +
        '(matched ignoring case and spaces around them). Set SALESFORCE_LOST_STATUSES to the ones that close a lead without conversion. Nothing was read or changed.',
      2,
    );
  }
}

/** Throws UnknownLostStatusError before anything is read or stored when a configured lost status is not in the org. */
export async function refuseUnknownLostStatuses(caller: ApiCaller, config: SalesforceConfig): Promise<void> {
  const problem = await unknownLostStatuses(caller, config);
  if (problem) throw new UnknownLostStatusError(problem.unknown, problem.values);
}

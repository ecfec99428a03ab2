import { makeId, USER_ID } from './ids.js';
import type { QuerySource } from './query/cursor.js';
import { leadHistoryObject, TRACKED_LEAD_FIELDS } from './schema/lead-history.js';
import { nextSerial, type SalesforceState, type SfRecord } from './state.js';
import { toSecond } from './values.js';

/**
 * Lead field history as an org with tracking on for Status keeps it: every update that changes a
 * tracked field (REST, sObject Collections and Bulk API 2.0 all go through applyUpdate) adds a
 * LeadHistory row stamped with the sandbox clock. With the salesforceLeadHistory option off,
 * nothing is recorded and LeadHistory is not queryable (INVALID_TYPE), as in an org whose
 * integration user cannot see it.
 */

const historyObject = leadHistoryObject();

export function addLeadHistory(state: SalesforceState, leadId: string, field: string, oldValue: unknown, newValue: unknown, at: number): void {
  const id = makeId(historyObject.keyPrefix, nextSerial(state));
  state.leadHistory.set(id, {
    Id: id,
    IsDeleted: false,
    LeadId: leadId,
    CreatedById: USER_ID,
    CreatedDate: toSecond(at),
    Field: field,
    // Salesforce names a picklist's history DynamicEnum; Status is the only field tracked here.
    DataType: 'DynamicEnum',
    OldValue: oldValue ?? null,
    NewValue: newValue ?? null,
  });
}

/** Records the tracked fields `changes` really changes on `lead` (call before applying them). */
export function recordLeadChanges(state: SalesforceState, lead: SfRecord, changes: SfRecord, at: number): void {
  if (!state.tracksLeadHistory()) return;
  for (const field of TRACKED_LEAD_FIELDS) {
    if (!(field in changes) || changes[field] === lead[field]) continue;
    addLeadHistory(state, lead.Id as string, field, lead[field], changes[field], at);
  }
}

/** The query source for FROM LeadHistory, or undefined (INVALID_TYPE) while history is off. */
export function leadHistorySource(state: SalesforceState): QuerySource | undefined {
  if (!state.tracksLeadHistory()) return undefined;
  return { object: historyObject, all: () => state.leadHistory.values(), get: (id) => state.leadHistory.get(id) };
}

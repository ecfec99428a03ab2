import { chunks } from '../shared/chunks.js';
import type { ApiCaller } from './api-caller.js';
import type { SalesforceConfig } from './config.js';
import { SalesforceError } from './errors.js';
import { isoFromSalesforce, soqlString } from './modstamp-cursor.js';
import { soqlAll } from './soql-pager.js';

/**
 * When a lead closed by Status took that status. A Lead keeps no per-field date, and
 * LastModifiedDate moves with every later edit (an owner's note, our own score write-back), which
 * would push the outcome forward and reshuffle the time split the model is trained and judged on.
 * Where field history tracking is on for Lead Status, LeadHistory holds the change: the newest
 * change into the lead's current status dates the outcome. NewValue cannot be filtered in SOQL,
 * so the rows of a chunk of leads are read whole and matched here. The caller is the pull's, which
 * takes each request from the API budget: at the share the pull stops before the page is handed
 * over, so its leads are read and dated from LeadHistory by the next sync rather than dated by
 * LastModifiedDate for good. A lead LeadHistory cannot date keeps LastModifiedDate, and note()
 * says once per pull which dating was used.
 */

export interface ClosedLead {
  id: string;
  status: string;
}

export interface StatusHistory {
  /** Lead id -> ISO time the lead took its current status; leads LeadHistory cannot date are left out. */
  closedAt(leads: ClosedLead[]): Promise<Map<string, string>>;
  /** How this pull dated the leads closed by Status, worded for the admin; null when there were none. */
  note(): string | null;
}

const SET_HISTORY_TRACKING = 'Setup > Object Manager > Lead > Fields & Relationships > Set History Tracking';

export function statusHistory(caller: ApiCaller, config: SalesforceConfig): StatusHistory {
  /** LeadHistory cannot be queried in this org: it is not read any more this pull. */
  let unreadable = false;
  let fromHistory = 0;
  let fromModified = 0;

  async function readChunk(leads: ClosedLead[], out: Map<string, string>): Promise<void> {
    const wanted = new Map(leads.map((l) => [l.id, l.status]));
    const soql = `SELECT LeadId, NewValue, CreatedDate FROM LeadHistory WHERE Field = 'Status' AND LeadId IN (${leads.map((l) => soqlString(l.id)).join(',')})`;
    let rows;
    try {
      rows = await soqlAll(caller, config, soql, 'reading when leads took their closed status (LeadHistory)');
    } catch (err) {
      if (err instanceof SalesforceError && err.errorCode === 'INVALID_TYPE') {
        unreadable = true;
        return;
      }
      throw err;
    }
    for (const row of rows) {
      const leadId = String(row.LeadId);
      const at = isoFromSalesforce(row.CreatedDate);
      if (!at || row.NewValue !== wanted.get(leadId)) continue;
      const seen = out.get(leadId);
      if (!seen || Date.parse(at) > Date.parse(seen)) out.set(leadId, at);
    }
  }

  return {
    async closedAt(leads) {
      const out = new Map<string, string>();
      for (const chunk of chunks(leads, config.idChunkSize)) {
        if (unreadable) break;
        await readChunk(chunk, out);
      }
      fromHistory += out.size;
      fromModified += leads.length - out.size;
      return out;
    },
    note() {
      const leads = (n: number) => `${n.toLocaleString('en-US')} lead${n === 1 ? '' : 's'}`;
      const dated = `${leads(fromHistory)} closed by Status ${fromHistory === 1 ? 'is' : 'are'} dated by ${fromHistory === 1 ? 'its' : 'their'} Status change in LeadHistory.`;
      if (fromModified === 0) return fromHistory === 0 ? null : dated;
      const cause = unreadable
        ? `LeadHistory cannot be queried in this org (INVALID_TYPE). To date them by when they closed, turn on field history tracking for Lead Status (${SET_HISTORY_TRACKING}) and let the integration user read Lead history`
        : `LeadHistory holds no change of their Status into that value: Status history was not tracked when they closed (${SET_HISTORY_TRACKING})`;
      const fallback = `${leads(fromModified)} closed by Status ${fromModified === 1 ? 'is' : 'are'} dated by LastModifiedDate, which any later edit moves forward, because ${cause}.`;
      return fromHistory === 0 ? fallback : `${fallback} ${dated}`;
    },
  };
}

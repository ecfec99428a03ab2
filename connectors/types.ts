/**
 * The contract every CRM connector implements. Everything CRM-specific (names, limits, error
 * shapes) stays inside its folder; src/ only sees these shapes.
 */

export type CrmName = 'hubspot' | 'salesforce';

/** Each CRM as an admin reads its name, in every message and page. */
export const CRM_NAMES: Readonly<Record<CrmName, string>> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** Opaque to the app: each connector encodes what it needs to resume (timestamp + last id...). */
export type Cursor = Record<string, unknown>;

export interface Page<T> {
  records: T[];
  /** Where the next pull resumes once these records are stored. */
  cursor: Cursor;
  /** Plain words for the person running the loop about how this pull read the CRM (logged by the sync). */
  notes?: string[];
  /**
   * The pull stopped here before its end, on purpose (Salesforce: leadlift's share of the org's
   * API requests): this last page holds no records and its cursor is not a position to keep; the
   * next sync resumes from the last full page's. A reader that needs the whole set (re-deriving
   * every outcome) must not take what it read for all of it.
   */
  cutShort?: true;
  /**
   * Leads the CRM merged into records of this page (HubSpot: hs_merged_object_ids), which no
   * listing reports as deleted: no longer leads of their own, so the store marks them archived,
   * keeping what it has of them, with the page.
   */
  mergedAway?: string[];
}

export interface LeadRecord {
  crm: CrmName;
  /** The CRM's own id (HubSpot contact id, Salesforce Lead id). */
  id: string;
  createdAt: string; // ISO 8601
  modifiedAt: string; // ISO 8601
  archived: boolean;
  /**
   * The CRM converted the lead (Salesforce Lead.IsConverted): it is no longer worked as a lead and
   * takes no writes, so it is never scored or written, even while its opportunity is open and it
   * has no outcome yet. Absent: false (HubSpot contacts are not converted).
   */
  converted?: boolean;
  /** Every property as the CRM returned it (strings or null). */
  properties: Record<string, string | null>;
}

/**
 * Leads read by id (Connector.readLeads), as the lead and outcome pulls would have returned them:
 * a rescore of the leads a webhook named stores these as a sync stores its pages.
 */
export interface LeadsById {
  records: LeadRecord[];
  /** The outcomes of those leads that have one (still-open leads yield none, as in pullOutcomes). */
  outcomes: OutcomeRecord[];
  /** Leads the CRM merged into these records (Page.mergedAway). */
  mergedAway: string[];
  /** Ids the CRM returned nothing for (deleted or never there): the lead sync's archived pass settles them. */
  missing: string[];
}

export type Outcome = 'won' | 'lost';

export interface OutcomeRecord {
  crm: CrmName;
  leadId: string;
  outcome: Outcome;
  outcomeAt: string; // ISO 8601
  /** What the outcome was read from, e.g. "lifecyclestage=customer" or "deal 123 closedwon". */
  evidence: string;
}

/** How the CRM shows one lead field to its users; reasons use these words instead of API names. */
export interface FieldDisplay {
  label: string;
  /** Stored value -> the label the CRM shows for it (HubSpot enumeration options, Salesforce picklists). */
  options?: Record<string, string>;
}

export interface ScoreFieldSpec {
  /** Manifest key, e.g. "score", "tier" — the connector maps it to its own property name. */
  key: 'score' | 'tier' | 'probability' | 'reasons' | 'trend' | 'modelVersion' | 'scoredAt';
  label: string;
  type: 'number' | 'enumeration' | 'text' | 'datetime';
  options?: string[];
}

export interface SchemaReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Things an admin must do by hand (e.g. field-level security in Salesforce). */
  adminActions: string[];
}

export interface ScoreWrite {
  leadId: string;
  score: number; // 0-100 integer
  tier: string;
  probability: number; // 0-1
  reasons: string; // multi-line, plain words
  /** 'new': the score has not changed since the lead's first scoring, so it has no direction yet. */
  trend: 'up' | 'steady' | 'down' | 'new';
  modelVersion: string;
  scoredAt: string; // ISO 8601
}

export interface PushReport {
  written: string[];
  /**
   * `gone`: the CRM has no such record any more (deleted for good, e.g. a GDPR delete, which no
   * listing of deleted records shows): the loop marks it deleted and stops scoring it.
   */
  failed: Array<{ leadId: string; message: string; retryable: boolean; gone?: boolean }>;
  apiCalls: number;
  rateLimited: number;
  /**
   * Set when the push stopped early on purpose (e.g. the app's share of the CRM's daily API
   * allocation is spent): nothing crashed, and the `unwritten` scores are also in `failed`
   * (retryable) for a later run.
   */
  stopped?: { reason: string; unwritten: number };
  /**
   * Writes the CRM accepted whose per-lead outcome this push could not read (a Salesforce Bulk
   * API 2.0 job it lost touch with). Their leads are in `failed` (retryable); keep these and hand
   * them to the next pushScores so it reads the outcome instead of writing the leads again.
   */
  pendingJobs?: PendingPushJob[];
}

/**
 * The CRM's daily API allowance as read at the start of a sync (HubSpot private apps: the
 * portal's calls today, shared by every private app in it, reset at midnight in its time zone).
 */
export interface DailyApiUsage {
  usageLimit: number;
  currentUsage: number;
  /** When the allowance resets, ISO 8601 UTC. */
  resetsAt: string;
  /** The account's time zone (IANA name, e.g. US/Eastern), when known. */
  timeZone: string | null;
}

/** A push the day's remaining allowance cannot finish: how much of it to write now (see Connector.pushWithinDailyLimit). */
export interface DailyLimitHold {
  /** Scores to write now (the first ones of the push); the rest stay pending. */
  fits: number;
  /** Requests the allowance has left (an estimate: the read at sync start less what was sent since) and requests the whole push needs. */
  remaining: number;
  needed: number;
  resetsAt: string;
  /** Why, in the admin's words, naming when the held scores go. */
  reason: string;
}

/** A CRM-side write job still to be read: its id and the leads whose scores it carries. */
export interface PendingPushJob {
  id: string;
  leadIds: string[];
}

/** The rule that turns a CRM's records into outcomes, as configured now (see src/jobs/outcome-rule.ts). */
export interface OutcomeRule {
  /**
   * The settings in force, as plain JSON in a canonical form (values the CRM treats alike written
   * alike): when they differ from the ones the store's outcomes were derived with, every stored
   * outcome is derived again.
   */
  settings: Record<string, unknown>;
  /** The settings that decide outcomes and their values, in the admin's words, e.g. `SALESFORCE_WON_WHEN=converted`. */
  describe: string;
}

/** The CRM object a connector's scored records come from; one store holds one (see src/jobs/scored-object.ts). */
export interface ScoredObject {
  /** e.g. "Lead" or "Contact". */
  name: string;
  /** The setting that chooses it, e.g. SALESFORCE_OBJECT. */
  setting: string;
  /** Which object a stored record id belongs to, when ids tell (Salesforce key prefixes); null = cannot tell. */
  objectOfId?(id: string): string | null;
}

export interface Connector {
  readonly crm: CrmName;
  /**
   * Scores handed to one pushScores call when config loop.push.chunkSize is null: the CRM's own
   * batch limit (HubSpot batch update 100, Salesforce sObject Collections 200), so every chunk is one call.
   */
  readonly pushBatchSize: number;
  /** Optional: the object the records are read from; a store built from another one is refused. */
  readonly scoredObject?: ScoredObject;
  /** Optional: the outcome rule in force; a change re-derives the stored outcomes. */
  outcomeRule?(): OutcomeRule;
  /**
   * Optional: checks the outcome settings against the CRM before the sync reads or stores anything
   * (Salesforce: every SALESFORCE_LOST_STATUSES value is a Lead Status of the org); throws when one
   * would misclassify leads.
   */
  checkOutcomeSettings?(): Promise<void>;
  /**
   * Optional: the account the connection belongs to (HubSpot: the portal's hub id; Salesforce:
   * the org id), read once per connector. Record ids are numbered per account, so the cycle
   * refuses a store that holds another account's data (src/jobs/crm-account-check.ts).
   */
  accountId?(): Promise<string>;
  ensureSchema(fields: ScoreFieldSpec[]): Promise<SchemaReport>;
  pullLeads(cursor: Cursor | null): AsyncIterable<Page<LeadRecord>>;
  pullOutcomes(cursor: Cursor | null): AsyncIterable<Page<OutcomeRecord>>;
  /**
   * Optional: these leads and their outcomes read by id (HubSpot's batch read, 100 a call), for a
   * rescore of the few leads a webhook named; no cursor moves. Worth it up to `readLeadsLimit` ids:
   * above that the incremental pull reads them in fewer calls.
   */
  readLeads?(ids: readonly string[]): Promise<LeadsById>;
  readonly readLeadsLimit?: number;
  /** `pendingJobs`: the `pendingJobs` of earlier reports, read first (connectors without write jobs ignore them). */
  pushScores(scores: ScoreWrite[], pendingJobs?: PendingPushJob[]): Promise<PushReport>;
  /**
   * Optional: read once as each sync begins (one request): the CRM's daily API allowance, kept for
   * the messages of a later refusal and for pushWithinDailyLimit. `usage` null: the CRM has none
   * for this credential (an OAuth app), or the read failed (`note` says why); the sync goes on.
   */
  readDailyUsage?(): Promise<{ usage: DailyApiUsage | null; note?: string }>;
  /**
   * Optional: whether a push of `total` scores fits what the day's allowance has left; a hold
   * when it clearly does not, null when it does or nothing is known.
   */
  pushWithinDailyLimit?(total: number): DailyLimitHold | null;
  /** Optional: the lead fields' labels and option labels, keyed by API name, so reasons read as the CRM does. */
  describeLeadFields?(): Promise<Record<string, FieldDisplay>>;
  /**
   * Optional: how many scores to hand pushScores per call for a run of `total` changed scores,
   * or null for the loop's own chunking (config loop.push.chunkSize, else pushBatchSize). Salesforce asks for all of
   * them at once above its Bulk API threshold, so one Bulk API 2.0 job writes them.
   */
  planPush?(total: number): { chunkSize: number } | null;
  /**
   * Optional: where the connector says what it waits for while a call is still under way (e.g.
   * "HubSpot not reachable (ECONNREFUSED) while …: retry 2 of 5 within 2 s", or a long rate-limit
   * wait), which page notes would only tell once the page is read; the loop sets its log for each
   * cycle, null after. See connectors/shared/retry-notice.ts.
   */
  setNoteListener?(listener: ((text: string) => void) | null): void;
  /**
   * Optional: every secret the connector holds or has held (access tokens, refreshed ones too,
   * client secrets, a JWT key), only so that text leadlift did not write (a driver's or an SDK's
   * error) can be scrubbed of them before it is logged. Never shown.
   */
  secrets?(): string[];
}

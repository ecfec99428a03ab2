/**
 * What the HubSpot and Salesforce halves of the sandbox share: one clock, one request log,
 * one fault table, the accepted access token, and a place to register their state so the
 * control API can reset it and --state can persist it. Each CRM keeps its own records.
 */

export interface SandboxClock {
  /** Sandbox "now" in epoch ms: real time plus whatever the control API advanced. */
  now(): number;
  advance(ms: number): void;
}

export interface LoggedRequest {
  at: number; // sandbox clock
  crm: 'hubspot' | 'salesforce' | 'control';
  method: string;
  path: string; // path + query as received
  status: number;
  ms: number;
  /** The ids a batch body named (inputs[].id), so tests can tell which records a write was for. */
  inputIds?: string[];
}

/** A fault rule applies to requests whose method matches and whose path matches the regex. */
export interface FaultRule {
  id: string;
  method?: string; // default: any
  pathPattern: string; // regular expression source, tested against the path (no query)
  kind: 'rate-limit' | 'server-error' | 'latency' | 'drop' | 'partial-batch';
  /** Probability 0-1 that a matching request is hit (default 1). */
  rate?: number;
  /** Hit only the next N matching requests, then the rule retires. */
  count?: number;
  /** latency: extra milliseconds; rate-limit: Retry-After seconds. */
  ms?: number;
  status?: number; // server-error status (default 503)
  /** partial-batch: share 0-1 of the inputs in a batch that fail (default 0.5). */
  share?: number;
}

export interface SeedLead {
  /** Row position in --order order (0 = oldest). */
  index: number;
  /** External id (the --id column, or the row number). */
  externalId: string;
  /** Every CSV column except the label, as text. Keys are the original column names. */
  values: Record<string, string>;
  createdAt: number; // epoch ms, spread over the past two years in --order order
  /** The true outcome from the label column. */
  outcome: 'won' | 'lost';
  /** Open leads have their outcome hidden from the API (kept for evaluation). */
  open: boolean;
  /** For closed leads: when the outcome happened (after createdAt). */
  closedAt: number | null;
}

export interface StatePart {
  dump(): unknown;
  load(data: unknown): void;
  reset(): void;
}

export interface SandboxContext {
  clock: SandboxClock;
  token: string;
  log: LoggedRequest[];
  faults: FaultRule[];
  /** Hidden outcomes of open leads, keyed by CRM then record id. */
  hidden: { hubspot: Map<string, 'won' | 'lost'>; salesforce: Map<string, 'won' | 'lost'> };
  options: {
    /** HubSpot: requests per rolling 10-second window (default 100). */
    hubspotRateLimit: number;
    /** HubSpot search: requests per second (default 5). */
    hubspotSearchRateLimit: number;
    /**
     * HubSpot: a private app's requests per day (default 250000, a free or starter portal's); past
     * it every CRM and account-info call (the usage endpoint too) is a 429 DAILY until midnight UTC, the sandbox portal's time zone.
     */
    hubspotDailyLimit: number;
    /** Salesforce: daily API request allocation (default 100000). */
    salesforceDailyLimit: number;
    /**
     * Salesforce: uploaded Bulk API 2.0 jobs stay InProgress without processing a row until this
     * is set back to false, as they do when the org's bulk queue is busy (default false).
     */
    salesforceBulkHold: boolean;
    /**
     * Salesforce: field history tracking on Lead Status (default true). Off, Status changes write
     * no LeadHistory rows and LeadHistory is not queryable (INVALID_TYPE).
     */
    salesforceLeadHistory: boolean;
    /**
     * Salesforce: converted leads may be updated (default false). A new org refuses any update of
     * a converted lead with CANNOT_UPDATE_CONVERTED_LEAD; on, the sandbox is an org whose Lead
     * Settings let users with "View and Edit Converted Leads" edit them.
     */
    salesforceEditConvertedLeads: boolean;
    /**
     * Salesforce: field-level security on new custom fields (default true, as in a real org). A
     * real org grants a field created through the Tooling or Metadata API to no profile but System
     * Administrator, so until it is granted the integration user's describe leaves it out and a
     * query or write naming it is INVALID_FIELD. leadlift grants itself its fields through a
     * permission set in the same run (the demo needs nothing more); the control API's
     * field-security grant does it as an admin would. Off, a new field is at once readable and
     * writable. Read when the field is created.
     */
    salesforceFieldSecurity: boolean;
    /**
     * Salesforce: the integration user's "Manage Profiles and Permission Sets" and "Assign
     * Permission Sets" system permissions (default both true, as for an admin). Without the first,
     * creating a PermissionSet or FieldPermissions row is INSUFFICIENT_ACCESS_OR_READONLY; without
     * the second, creating a PermissionSetAssignment is. Read at each write.
     */
    salesforceUserPermissions: { managePermissionSets: boolean; assignPermissionSets: boolean };
    /**
     * HubSpot search: the order of records that share the value of the sort. As in HubSpot, only
     * the first sort given counts, whichever is set. 'scrambled' (default) is what a portal
     * promises: ties come in no particular order; the sandbox returns them by descending id, the
     * order that most breaks a reader assuming id order. 'id' serves ties by ascending id, which
     * HubSpot does not promise: only for tests that want a predictable order.
     */
    hubspotSearchTieOrder: 'id' | 'scrambled';
    /** Base URL of the sandbox itself, for nextRecordsUrl-style links. */
    baseUrl: string;
  };
  registerState(name: string, part: StatePart): void;
}

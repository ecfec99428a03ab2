/**
 * The store's tables as Kysely sees them. One shape for SQLite and PostgreSQL: timestamps are ISO
 * 8601 strings (UTC, millisecond precision, so text order is time order on both back ends), JSON
 * is text, and booleans are 0/1 integers (SQLite has no boolean type to bind).
 */

export interface RecordsTable {
  crm: string;
  object_type: string;
  id: string;
  properties: string;
  created_at: string;
  modified_at: string;
  /** 1 when the CRM archived or deleted the record. */
  archived: number;
  /** 1 when the CRM converted the lead (Salesforce IsConverted): not an open lead, whatever its outcome. */
  converted: number;
  synced_at: string;
  source: string;
}

export interface CheckpointsTable {
  crm: string;
  stream: string;
  cursor: string;
  updated_at: string;
}

export interface OutcomesTable {
  crm: string;
  lead_id: string;
  outcome: string;
  outcome_at: string;
  evidence: string;
  recorded_at: string;
}

export interface SnapshotsTable {
  crm: string;
  lead_id: string;
  scored_at: string;
  model_version: string;
  properties: string;
}

export interface ScoresTable {
  crm: string;
  lead_id: string;
  scored_at: string;
  score: number;
  tier: string;
  probability: number;
  reasons: string;
  trend: string;
  model_version: string;
  push_status: string;
  pushed_at: string | null;
  push_error: string | null;
}

export interface ModelsTable {
  crm: string;
  version: string;
  engine: string;
  created_at: string;
  trained_from: string;
  trained_to: string;
  metrics: string;
  bundle: string;
  status: string;
  promoted_at: string | null;
}

export interface RunsTable {
  id: string;
  kind: string;
  crm: string | null;
  started_at: string;
  finished_at: string | null;
  status: string;
  summary: string | null;
  error: string | null;
  /** An install's or retrain's progress and outcome, JSON text (run-progress.ts); migration 014. */
  progress: string | null;
}

export interface RunLocksTable {
  name: string;
  owner: string;
  acquired_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  key: string;
  before: string | null;
  after: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string;
}

export interface OauthTokensTable {
  crm: string;
  ciphertext: string;
  updated_at: string;
}

export interface TierCutoffsTable {
  crm: string;
  model_version: string;
  /** JSON: the tier rules the cut-offs were resolved for. */
  tiers: string;
  /** JSON array of TierCutoff, one per tier. */
  cutoffs: string;
  computed_at: string;
}

export interface ScoreReferencesTable {
  crm: string;
  model_version: string;
  /** JSON array of sorted calibrated probabilities. */
  quantiles: string;
  leads: number;
  computed_at: string;
  /** JSON array: their typical lead, the middle fifth's mean contribution per feature (migration 005); null before. */
  typical: string | null;
  /** JSON array per feature: their quantiles, which "low"/"high" are judged against (migration 007); null before. */
  population_quantiles: string | null;
}

/** Leads erased from the store, by id only (migration 003): what every per-lead write leaves out. */
export interface ForgottenLeadsTable {
  crm: string;
  lead_id: string;
  forgotten_at: string;
}

/** The suppression list of an account the store no longer holds, by account (migration 016). */
export interface ForgottenLeadsSetAsideTable {
  crm: string;
  account: string;
  lead_id: string;
  forgotten_at: string;
}

/** Admin sessions ended by a logout (migration 006), kept until their cookie would have expired. */
export interface EndedSessionsTable {
  id: string;
  expires_at: string;
}

/** OAuth installs waiting for their callback (migration 011, src/store/oauth-states.ts). */
export interface OauthStatesTable {
  state_hash: string;
  crm: string;
  user_name: string;
  redirect_uri: string;
  secrets: string | null;
  expires_at: string;
}

/** Hits per client address in a rate limit's current window (migration 012, src/store/rate-limit-hits.ts). */
export interface RateLimitHitsTable {
  limiter: string;
  client_key: string;
  hits: number;
  reset_at: string;
}

/** Webhook events an instance has taken, kept for HubSpot's retry horizon (migration 013, src/store/webhook-events.ts). */
export interface WebhookEventsTable {
  crm: string;
  event_id: string;
  received_at: string;
}

/** Outcomes re-read under a changed rule, waiting to replace the stored ones (migration 008); outcomes' columns. */
export type StagedOutcomesTable = OutcomesTable;

export interface Database {
  records: RecordsTable;
  checkpoints: CheckpointsTable;
  outcomes: OutcomesTable;
  snapshots: SnapshotsTable;
  scores: ScoresTable;
  models: ModelsTable;
  runs: RunsTable;
  run_locks: RunLocksTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  score_references: ScoreReferencesTable;
  tier_cutoffs: TierCutoffsTable;
  oauth_tokens: OauthTokensTable;
  forgotten_leads: ForgottenLeadsTable;
  forgotten_leads_set_aside: ForgottenLeadsSetAsideTable;
  ended_sessions: EndedSessionsTable;
  oauth_states: OauthStatesTable;
  staged_outcomes: StagedOutcomesTable;
  rate_limit_hits: RateLimitHitsTable;
  webhook_events: WebhookEventsTable;
}

import type { Connector, Cursor, FieldDisplay, LeadRecord, OutcomeRecord, Page, PendingPushJob, PushReport, SchemaReport, ScoreFieldSpec, ScoreWrite } from '../types.js';
import { loadManifest, type Manifest } from '../../src/domain/manifest.js';
import { createApiCaller, type CallStats } from './api-caller.js';
import { refuseUnknownLostStatuses } from './lost-status-check.js';
import { apiBudgetKeeper } from './api-budget.js';
import { parseSalesforceConfig, type SalesforceConfig, type SalesforceConfigInput } from './config.js';
import { pullSalesforceLeads } from './leads.js';
import { pullSalesforceOutcomes } from './outcomes.js';
import { salesforceOutcomeRule, salesforceScoredObject } from './outcome-rule-in-force.js';
import { pushSalesforceScores } from './push.js';
import { ensureSalesforceSchema } from './schema.js';
import { salesforceFieldLabels } from './field-labels.js';
import { createSession } from './session.js';
import { salesforceOrgIdOf } from './org-id.js';
import type { TokenVault } from './token-vault.js';

/**
 * The Salesforce connector: Leads (or Contacts) are the scored records, conversion and the
 * converted opportunity are outcomes, and scores go back into the app's custom fields. Built on
 * jsforce; see api-caller.ts for how requests are retried and counted, and session.ts for auth.
 */
export interface SalesforceConnector extends Connector {
  readonly crm: 'salesforce';
  readonly config: SalesforceConfig;
  /** Every API request this connector has sent. */
  readonly usage: Readonly<CallStats>;
}

/**
 * `vault` keeps OAuth tokens between runs (the store's tokens repository, see storeTokenVault);
 * the argument order matches createHubspotConnector(input, manifest) plus the vault the loop has.
 */
export function createSalesforceConnector(input: SalesforceConfigInput, vault?: TokenVault, manifest: Manifest = loadManifest()): SalesforceConnector {
  const config = parseSalesforceConfig(input);
  const session = createSession(config, vault);
  const caller = createApiCaller(config, session, manifest.salesforce.fields.map((f) => f.name));
  const budget = apiBudgetKeeper(caller, config);
  // Read once: a connector serves one org for its life (a new install builds a new one); a failed read is not kept.
  let orgId: Promise<string> | null = null;
  return {
    crm: 'salesforce',
    config,
    usage: caller.totals,
    setNoteListener: (listener) => void (caller.onNote = listener),
    secrets: () => [...session.secrets(), ...(config.jwt ? [config.jwt.privateKey] : [])],
    pushBatchSize: config.collectionSize,
    scoredObject: salesforceScoredObject(config),
    outcomeRule: () => salesforceOutcomeRule(config),
    checkOutcomeSettings: () => refuseUnknownLostStatuses(caller, config),
    accountId: () =>
      (orgId ??= salesforceOrgIdOf(caller).catch((err: unknown) => {
        orgId = null;
        throw err;
      })),
    ensureSchema: (fields: ScoreFieldSpec[]): Promise<SchemaReport> => ensureSalesforceSchema(caller, config, manifest, fields),
    pullLeads: (cursor: Cursor | null): AsyncIterable<Page<LeadRecord>> => pullSalesforceLeads(caller, config, cursor, budget),
    pullOutcomes: (cursor: Cursor | null): AsyncIterable<Page<OutcomeRecord>> => pullSalesforceOutcomes(caller, config, cursor, budget),
    pushScores: (scores: ScoreWrite[], pendingJobs?: PendingPushJob[]): Promise<PushReport> => pushSalesforceScores(caller, config, manifest, scores, budget, pendingJobs),
    describeLeadFields: (): Promise<Record<string, FieldDisplay>> => salesforceFieldLabels(caller, config),
    // One Bulk API 2.0 job for a large run; otherwise the loop chunks it as configured.
    planPush: (total: number) => (total > config.bulkThreshold ? { chunkSize: total } : null),
  };
}

export { salesforceConfigSchema, salesforceConfigFromEnv, parseSalesforceConfig, hasSalesforceEnv, type SalesforceConfig, type SalesforceConfigInput } from './config.js';
export { salesforceAuthorizeUrl, exchangeSalesforceCode, refreshSalesforceToken, newCodeVerifier, type SalesforceApp } from './oauth.js';
export { signJwtAssertion, requestJwtToken } from './jwt.js';
export { storeTokenVault, type TokenVault, type SalesforceTokens } from './token-vault.js';
export * from './errors.js';

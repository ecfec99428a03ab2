import type { Connector, Cursor, LeadRecord, OutcomeRecord, Page, PushReport, SchemaReport, ScoreFieldSpec, ScoreWrite } from '../types.js';
import { loadManifest, type Manifest } from '../../src/domain/manifest.js';
import { createApiCaller, type CallStats } from './api-caller.js';
import { parseSalesforceConfig, type SalesforceConfig, type SalesforceConfigInput } from './config.js';
import { pullSalesforceLeads } from './leads.js';
import { pullSalesforceOutcomes } from './outcomes.js';
import { pushSalesforceScores } from './push.js';
import { ensureSalesforceSchema } from './schema.js';
import { createSession } from './session.js';
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

export interface SalesforceConnectorDeps {
  manifest?: Manifest;
  /** Where OAuth tokens are kept (the store's tokens repository, see storeTokenVault). */
  vault?: TokenVault;
}

export function createSalesforceConnector(input: SalesforceConfigInput, deps: SalesforceConnectorDeps = {}): SalesforceConnector {
  const config = parseSalesforceConfig(input);
  const manifest = deps.manifest ?? loadManifest();
  const session = createSession(config, deps.vault);
  const caller = createApiCaller(config, session, manifest.salesforce.fields.map((f) => f.name));
  return {
    crm: 'salesforce',
    config,
    usage: caller.totals,
    ensureSchema: (fields: ScoreFieldSpec[]): Promise<SchemaReport> => ensureSalesforceSchema(caller, config, manifest, fields),
    pullLeads: (cursor: Cursor | null): AsyncIterable<Page<LeadRecord>> => pullSalesforceLeads(caller, config, manifest, cursor),
    pullOutcomes: (cursor: Cursor | null): AsyncIterable<Page<OutcomeRecord>> => pullSalesforceOutcomes(caller, config, cursor),
    pushScores: (scores: ScoreWrite[]): Promise<PushReport> => pushSalesforceScores(caller, config, manifest, scores),
  };
}

export { salesforceConfigSchema, salesforceConfigFromEnv, parseSalesforceConfig, hasSalesforceEnv, type SalesforceConfig, type SalesforceConfigInput } from './config.js';
export { salesforceAuthorizeUrl, exchangeSalesforceCode, refreshSalesforceToken, type SalesforceApp } from './oauth.js';
export { signJwtAssertion, requestJwtToken } from './jwt.js';
export { storeTokenVault, type TokenVault, type SalesforceTokens } from './token-vault.js';
export * from './errors.js';

import type { Connector, Cursor, FieldDisplay, LeadRecord, OutcomeRecord, Page, PushReport, SchemaReport, ScoreFieldSpec, ScoreWrite } from '../types.js';
import { loadManifest, type Manifest } from '../../src/domain/manifest.js';
import { createApiCaller, type CallStats } from './api-caller.js';
import { parseHubspotConfig, type HubspotConfig, type HubspotConfigInput } from './config.js';
import { pullHubspotLeads } from './leads.js';
import { pullHubspotOutcomes } from './outcomes.js';
import { pushHubspotScores } from './push.js';
import { ensureHubspotSchema } from './schema.js';
import { hubspotFieldLabels } from './field-labels.js';

/**
 * The HubSpot connector: contacts are leads, their lifecycle stage and deals are outcomes, and
 * scores go back into the `leadlift` property group. Built on the official SDK; see
 * api-caller.ts for how requests are paced, retried and counted.
 */
export interface HubspotConnector extends Connector {
  readonly crm: 'hubspot';
  readonly config: HubspotConfig;
  /** Every request this connector has sent (attempts, not calls of ours) and the 429s among them. */
  readonly usage: Readonly<CallStats>;
}

export function createHubspotConnector(input: HubspotConfigInput, manifest: Manifest = loadManifest()): HubspotConnector {
  const config = parseHubspotConfig(input);
  const caller = createApiCaller(config);
  return {
    crm: 'hubspot',
    config,
    usage: caller.totals,
    pushBatchSize: config.batch.writeSize,
    ensureSchema: (fields: ScoreFieldSpec[]): Promise<SchemaReport> => ensureHubspotSchema(caller, manifest, fields),
    pullLeads: (cursor: Cursor | null): AsyncIterable<Page<LeadRecord>> => pullHubspotLeads(caller, config, manifest, cursor),
    pullOutcomes: (cursor: Cursor | null): AsyncIterable<Page<OutcomeRecord>> => pullHubspotOutcomes(caller, config, cursor),
    pushScores: (scores: ScoreWrite[]): Promise<PushReport> => pushHubspotScores(caller, config, manifest, scores),
    describeLeadFields: (): Promise<Record<string, FieldDisplay>> => hubspotFieldLabels(caller),
    listen: (listener: (note: string) => void) => caller.listen(listener),
  };
}

export { hubspotConfigSchema, hubspotConfigFromEnv, parseHubspotConfig, type HubspotConfig, type HubspotConfigInput } from './config.js';
export { exchangeHubspotOAuthCode, refreshHubspotToken, hubspotTokenInfo, type HubspotTokens } from './oauth.js';
export * from './errors.js';

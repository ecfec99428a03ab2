import type { Connector, Cursor, DailyApiUsage, DailyLimitHold, FieldDisplay, LeadRecord, LeadsById, OutcomeRecord, Page, PushReport, SchemaReport, ScoreFieldSpec, ScoreWrite } from '../types.js';
import { loadManifest, type Manifest } from '../../src/domain/manifest.js';
import { createApiCaller, type CallStats } from './api-caller.js';
import { parseHubspotConfig, type HubspotConfig, type HubspotConfigInput } from './config.js';
import { pullHubspotLeads } from './leads.js';
import { pullHubspotOutcomes } from './outcomes.js';
import { pushHubspotScores } from './push.js';
import { ensureHubspotSchema } from './schema.js';
import { hubspotFieldLabels } from './field-labels.js';
import { hubspotPortalIdOf } from './portal-id.js';
import { dailyUsageKeeper } from './daily-usage.js';
import { dailyPushHold } from './daily-push-hold.js';
import { READ_CONTACTS_LIMIT, readHubspotContacts } from './read-contacts.js';

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
  /**
   * The hub id of the portal its token belongs to: `config.portalId` when given, else read from
   * HubSpot once and then kept (a connector serves one portal for its life; a new install builds
   * a new connector). A failed read is not kept, so the next call asks again.
   */
  portalId(): Promise<number>;
  readDailyUsage(): Promise<{ usage: DailyApiUsage | null; note?: string }>;
  pushWithinDailyLimit(total: number): DailyLimitHold | null;
}

export function createHubspotConnector(input: HubspotConfigInput, manifest: Manifest = loadManifest()): HubspotConnector {
  const config = parseHubspotConfig(input);
  const caller = createApiCaller(config);
  const daily = dailyUsageKeeper(caller);
  let portal: Promise<number> | null = config.portalId === undefined ? null : Promise.resolve(config.portalId);
  const readPortalId = async () => {
    const token = config.accessTokenProvider ? await config.accessTokenProvider({ forceRefresh: false }) : (config.accessToken as string);
    return hubspotPortalIdOf(token, config.basePath);
  };
  const portalId = (): Promise<number> => {
    portal ??= readPortalId().catch((err: unknown) => {
      portal = null;
      throw err;
    });
    return portal;
  };
  return {
    crm: 'hubspot',
    config,
    usage: caller.totals,
    pushBatchSize: config.batch.writeSize,
    ensureSchema: (fields: ScoreFieldSpec[]): Promise<SchemaReport> => ensureHubspotSchema(caller, manifest, fields),
    pullLeads: (cursor: Cursor | null): AsyncIterable<Page<LeadRecord>> => pullHubspotLeads(caller, config, manifest, cursor),
    pullOutcomes: (cursor: Cursor | null): AsyncIterable<Page<OutcomeRecord>> => pullHubspotOutcomes(caller, config, cursor),
    readLeads: (ids: readonly string[]): Promise<LeadsById> => readHubspotContacts(caller, config, manifest, ids),
    readLeadsLimit: READ_CONTACTS_LIMIT,
    pushScores: (scores: ScoreWrite[]): Promise<PushReport> => pushHubspotScores(caller, config, manifest, scores),
    describeLeadFields: (): Promise<Record<string, FieldDisplay>> => hubspotFieldLabels(caller),
    // OAuth (public) apps have no daily limit, only private-app tokens do: nothing to read for them.
    readDailyUsage: () => (config.accessTokenProvider ? Promise.resolve({ usage: null }) : daily.read()),
    pushWithinDailyLimit: (total: number) => dailyPushHold(daily, total, config.batch.writeSize),
    setNoteListener: (listener) => void (caller.onNote = listener),
    secrets: () => caller.secrets(),
    portalId,
    accountId: async () => String(await portalId()),
  };
}

export { hubspotConfigSchema, hubspotConfigFromEnv, parseHubspotConfig, type HubspotConfig, type HubspotConfigInput } from './config.js';
export { exchangeHubspotOAuthCode, refreshHubspotToken, hubspotTokenInfo, type HubspotTokens } from './oauth.js';
export * from './errors.js';

import { crmUrlSchema, settingFromEnv } from '../shared/url-setting.js';
import { z } from 'zod';
import { ConfigError } from '../../src/domain/errors.js';
import { parseConfigValue } from '../../src/config/validate.js';

/**
 * Everything the HubSpot connector can be told. Defaults follow HubSpot's published limits for
 * a private or OAuth app (100 requests per rolling 10 s, search 5 per second and 10,000
 * results per query, batch inputs of 100) so a real portal works with no settings but a token.
 */

export const HUBSPOT_API_BASE = 'https://api.hubapi.com';

/** HUBSPOT_BASE_URL / `basePath`: HubSpot's API, or a sandbox (one check for the environment and code alike). */
export const hubspotBaseUrlSchema = crmUrlSchema('https://api.hubapi.com (HubSpot itself, the default) or http://127.0.0.1:4010 for a sandbox');

/** Called before every request; should cache and refresh the OAuth access token itself. */
export type AccessTokenProvider = (options: { forceRefresh: boolean }) => Promise<string>;

const outcomeSchema = z
  .object({
    /** Reaching any of these lifecycle stages counts as a conversion. */
    wonLifecycleStages: z.array(z.string().min(1)).default(['customer']),
    /** Deal stages (internal ids) that mean closed won, besides HubSpot's hs_is_closed_won flag. */
    wonDealStages: z.array(z.string().min(1)).default(['closedwon']),
    /** Deal stages that mean closed lost; a lead is lost when all its deals are in one. */
    lostDealStages: z.array(z.string().min(1)).default(['closedlost']),
    /** hs_lead_status values that close a lead as lost even without a deal. */
    lostLeadStatuses: z.array(z.string().min(1)).default(['UNQUALIFIED']),
  })
  .strict();

const rateLimitSchema = z
  .object({
    /** The portal's allowance per window (HubSpot: 100 per 10 s for most apps, 190 on some tiers). */
    requestsPerWindow: z.number().int().positive().default(100),
    windowMs: z.number().int().positive().default(10_000),
    /** Share of the allowance this app may use, leaving the rest to the portal's other apps. */
    share: z.number().gt(0).max(1).default(0.5),
    /** Search has its own, lower limit (per second). */
    searchPerSecond: z.number().positive().default(5),
    /** Requests in flight at once. */
    maxConcurrent: z.number().int().positive().default(4),
  })
  .strict();

const searchSchema = z
  .object({
    /**
     * Results per search page (HubSpot's maximum is 200). Every page is a fresh query from the
     * last position read (see keyset-search.ts), so HubSpot's 10,000-results-per-query cap is
     * never reached and needs no setting.
     */
    pageSize: z.number().int().min(1).max(200).default(200),
    /**
     * HubSpot's search index trails writes by a few seconds, and this machine's clock may differ
     * from HubSpot's. A change dated less than this before a pull began may have been missing from
     * the index it searched, so the next pull re-reads from that point (re-reads are harmless: the
     * store upserts by id); what the previous pull could see for certain is not read again.
     */
    indexLagMs: z.number().int().min(0).default(30_000),
  })
  .strict();

const batchSchema = z
  .object({
    /** Contacts per list page (HubSpot's maximum is 100). */
    listSize: z.number().int().min(1).max(100).default(100),
    /** Inputs per batch update / batch read (HubSpot's maximum is 100). */
    writeSize: z.number().int().min(1).max(100).default(100),
    readSize: z.number().int().min(1).max(100).default(100),
  })
  .strict();

const archivedPassSchema = z
  .object({
    /**
     * Search never returns archived (deleted) contacts, so an incremental lead pull also lists
     * the archived ones, at most this often (default 6 h). That listing takes no filter: each pass
     * pages through every archived contact, one request per batch.listSize of them. 0 = every pull.
     */
    intervalMs: z.number().int().min(0).default(6 * 3_600_000),
  })
  .strict();

const retrySchema = z
  .object({
    /** Attempts after the first for network errors, 5xx and retryable batch errors. */
    retries: z.number().int().min(0).max(10).default(5),
    /** First back-off in ms, doubled each retry. */
    minDelayMs: z.number().int().min(0).default(500),
    maxDelayMs: z.number().int().min(0).default(15_000),
    /** 429s wait out Retry-After without using a retry, up to this many times per call. */
    maxRateLimitWaits: z.number().int().min(0).default(30),
  })
  .strict();

export const hubspotConfigSchema = z
  .object({
    /** A private-app token or an OAuth access token (HUBSPOT_ACCESS_TOKEN). */
    accessToken: z.string().min(1).optional(),
    /** For OAuth installs: returns a valid access token, refreshing it when asked. */
    accessTokenProvider: z.function().optional(),
    /** HUBSPOT_BASE_URL: HubSpot's API, or a sandbox. A trailing slash is dropped (the SDK appends "/crm/..."). */
    basePath: hubspotBaseUrlSchema.default(HUBSPOT_API_BASE),
    rateLimit: rateLimitSchema.default({}),
    search: searchSchema.default({}),
    batch: batchSchema.default({}),
    archivedPass: archivedPassSchema.default({}),
    retry: retrySchema.default({}),
    outcome: outcomeSchema.default({}),
    /**
     * Contact properties pulled as lead fields. Default: every contact property the portal has,
     * read through the properties API. The app's own properties are always read as well (what
     * HubSpot shows of the scores, so an edited one is written again), never as model inputs.
     */
    leadProperties: z.array(z.string().min(1)).min(1).optional(),
    /**
     * The hub id of the portal the token belongs to, when the caller has read it already (the
     * OAuth install reads the token details): the connector then never asks HubSpot for it.
     */
    portalId: z.number().int().positive().optional(),
  })
  .strict();

export type HubspotConfigInput = Omit<z.input<typeof hubspotConfigSchema>, 'accessTokenProvider'> & { accessTokenProvider?: AccessTokenProvider };
export type HubspotConfig = Omit<z.output<typeof hubspotConfigSchema>, 'accessTokenProvider'> & {
  accessTokenProvider?: AccessTokenProvider;
};
export type OutcomeDefinition = HubspotConfig['outcome'];

/** Validates connector settings; a bad value becomes a ConfigError naming `hubspot.<key>`. */
export function parseHubspotConfig(input: unknown): HubspotConfig {
  const config = parseConfigValue(hubspotConfigSchema, input, 'hubspot') as HubspotConfig;
  if (!config.accessToken && !config.accessTokenProvider) {
    throw new ConfigError('hubspot.accessToken', 'is required: set HUBSPOT_ACCESS_TOKEN to a private-app token, or connect the app through OAuth');
  }
  return config;
}

/** The settings that come from the environment (see .env.example). */
export function hubspotConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HubspotConfigInput {
  const input: HubspotConfigInput = {};
  if (env.HUBSPOT_ACCESS_TOKEN) input.accessToken = env.HUBSPOT_ACCESS_TOKEN;
  if (env.HUBSPOT_BASE_URL?.trim()) input.basePath = settingFromEnv('HUBSPOT_BASE_URL', hubspotBaseUrlSchema, env.HUBSPOT_BASE_URL);
  return input;
}

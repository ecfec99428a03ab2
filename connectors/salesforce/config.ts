import { CRM_SELECTING_SETTINGS } from '../shared/store-selecting-settings.js';
import { crmUrlSchema, settingFromEnv } from '../shared/url-setting.js';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../src/domain/errors.js';
import { parseConfigValue } from '../../src/config/validate.js';
import { issueWords } from '../../src/config/issue-words.js';
import { SALESFORCE_OAUTH_TIMEOUT_MS } from './oauth-deadline.js';
import { SALESFORCE_SECRET_VARIABLES } from './secret-variables.js';

/**
 * Everything the Salesforce connector can be told. One of three ways in:
 * - `accessToken` + `instanceUrl`: a session someone already has (a sandbox, `sf org display`);
 * - `oauth`: the web-server flow an admin completed on `leadlift serve`'s Connections page; the refresh token lives
 *   encrypted in the store, and jsforce refreshes the access token when Salesforce says it expired;
 * - `jwt`: the JWT bearer flow for server-to-server installs (a connected app with a certificate).
 * Defaults follow Salesforce's published limits (200 records per sObject Collections call,
 * DailyApiRequests shared with the org's other integrations).
 */

export const SALESFORCE_LOGIN_URL = 'https://login.salesforce.com';
export const DEFAULT_API_VERSION = '60.0';

/** SALESFORCE_INSTANCE_URL / `instanceUrl` and SALESFORCE_LOGIN_URL / `loginUrl`: one check each, for the environment and code alike. */
export const salesforceInstanceUrlSchema = crmUrlSchema('https://yourcompany.my.salesforce.com or http://127.0.0.1:4010 for a sandbox');
export const salesforceLoginUrlSchema = crmUrlSchema('https://login.salesforce.com or https://test.salesforce.com');

const oauthSchema = z
  .object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    redirectUri: z.string().url("must be the URL of this server's Salesforce callback, e.g. https://leadlift.example.com/install/salesforce/callback"),
  })
  .strict();

const jwtSchema = z
  .object({
    /** The connected app's consumer key (the assertion's `iss`). */
    clientId: z.string().min(1),
    /** The Salesforce user the app acts as (the assertion's `sub`). */
    username: z.string().min(1),
    /** PEM private key whose certificate is uploaded to the connected app. */
    privateKey: z.string().min(1),
  })
  .strict();

const outcomeSchema = z
  .object({
    /**
     * "opportunity-won": converted and the converted opportunity is Closed Won (a conversion
     * whose opportunity is still open is not an outcome yet). "converted": converting is winning.
     */
    wonWhen: z.enum(['opportunity-won', 'converted']).default('opportunity-won'),
    /** Lead Status values that close a lead as lost without conversion. */
    lostStatuses: z.array(z.string().min(1)).default(['Closed - Not Converted']),
    /** A converted lead whose opportunity closed lost counts as lost. */
    lostWhenOpportunityLost: z.boolean().default(true),
  })
  .strict();

const retrySchema = z
  .object({
    /** Attempts after the first for network errors, 5xx and retryable record errors. */
    retries: z.number().int().min(0).max(10).default(4),
    minDelayMs: z.number().int().min(0).default(500),
    maxDelayMs: z.number().int().min(0).default(15_000),
  })
  .strict();

const SHARE_WORDS = "must be a share of the org's daily API requests above 0 and at most 1, e.g. 0.5 for half";

export const salesforceConfigSchema = z
  .object({
    /** Where the org's API lives (SALESFORCE_INSTANCE_URL), e.g. https://acme.my.salesforce.com. */
    instanceUrl: salesforceInstanceUrlSchema.optional(),
    accessToken: z.string().min(1).optional(),
    /** Authorization server for OAuth and JWT (SALESFORCE_LOGIN_URL); test.salesforce.com for sandboxes. */
    loginUrl: salesforceLoginUrlSchema.default(SALESFORCE_LOGIN_URL),
    oauth: oauthSchema.optional(),
    jwt: jwtSchema.optional(),
    apiVersion: z
      .string()
      .regex(/^\d{2,3}\.0$/, 'must look like "60.0"')
      .default(DEFAULT_API_VERSION),
    /** The object scored: Lead (default) or Contact. */
    object: z.enum(['Lead', 'Contact']).default('Lead'),
    outcome: outcomeSchema.default({}),
    /** A push of more scores than this goes through Bulk API 2.0 instead of sObject Collections. */
    bulkThreshold: z.number().int().min(1).default(10_000),
    /** Share of the org's DailyApiRequests this app may use (the rest belongs to other integrations). */
    apiShare: z.number().gt(0, SHARE_WORDS).max(1, SHARE_WORDS).default(0.5),
    /** Records per sObject Collections call (Salesforce's maximum is 200). */
    collectionSize: z.number().int().min(1).max(200).default(200),
    /** Records per query page (queryMore); Salesforce answers 200-2000. */
    queryBatchSize: z.number().int().min(200).max(2000).default(2000),
    /**
     * Ids per `IN (...)` query: opportunities of converted leads, LeadHistory of leads closed by
     * Status. The query goes in the GET URL, 27 bytes an id as jsforce encodes it (%27…%27%2C), and
     * Salesforce refuses a request line and headers over 16,384 bytes (431): 400 ids fit, about
     * 12.5 KB with the longest query.
     */
    idChunkSize: z.number().int().min(1).max(400).default(300),
    /**
     * Seconds before the newest change a completed pull's next one starts again
     * (SALESFORCE_LOOKBACK_SECONDS; modstamp-cursor.ts settledPosition): records that a long
     * transaction made visible late, stamped before newer ones, are read then.
     */
    lookbackSeconds: z.number().int().min(0).max(3600).default(10),
    /** Collections calls in flight at once. */
    maxConcurrent: z.number().int().min(1).max(10).default(3),
    /** Bulk API 2.0 job polling. */
    bulkPollIntervalMs: z.number().int().min(10).default(2_000),
    /**
     * How long one push waits for a job Salesforce is still processing (SALESFORCE_BULK_POLL_TIMEOUT_MS).
     * Past it the job is handed back as pending, not abandoned, so a short wait costs nothing but a later report.
     */
    bulkPollTimeoutMs: z.number().int().min(0).default(10 * 60_000),
    retry: retrySchema.default({}),
    /** How long a token request (OAuth refresh, JWT) may wait for the login URL to answer (oauth-deadline.ts). */
    oauthTimeoutMs: z.number().int().positive().default(SALESFORCE_OAUTH_TIMEOUT_MS),
    /**
     * Fields pulled as lead fields. Default: every field describe lists but compound ones, the
     * app's own score fields included (what Salesforce shows of the scores, so an edited one is
     * written again; never model inputs). A list given here is read as it is.
     */
    leadFields: z.array(z.string().min(1)).min(1).optional(),
    /**
     * Label of the permission set the schema step creates (API name: the label with underscores,
     * e.g. leadlift_Integration) with Read and Edit on the app's fields, and assigns to the user
     * leadlift connects as (permission-sets.ts).
     */
    permissionSet: z.string().min(1).max(80).default('leadlift Integration'),
    /** Label of the read-only permission set it creates for the admin to assign to sales reps and managers. */
    readerPermissionSet: z.string().min(1).max(80).default('leadlift Reader'),
  })
  .strict();

export type SalesforceConfigInput = z.input<typeof salesforceConfigSchema>;
export type SalesforceConfig = z.output<typeof salesforceConfigSchema>;
export type OutcomeDefinition = SalesforceConfig['outcome'];
export type AuthMode = 'access-token' | 'oauth' | 'jwt';

/** Validates connector settings; a bad value becomes a ConfigError naming `salesforce.<key>`. */
export function parseSalesforceConfig(input: unknown): SalesforceConfig {
  const config = parseConfigValue(salesforceConfigSchema, input, 'salesforce');
  authMode(config);
  return config;
}

/** Which way in the settings describe; a direct session wins over OAuth, OAuth over JWT. */
export function authMode(config: SalesforceConfig): AuthMode {
  if (config.accessToken) {
    if (!config.instanceUrl) {
      throw new ConfigError('SALESFORCE_INSTANCE_URL', 'is required with SALESFORCE_ACCESS_TOKEN: set it to the org\'s URL, e.g. https://acme.my.salesforce.com');
    }
    return 'access-token';
  }
  if (config.oauth) return 'oauth';
  if (config.jwt) return 'jwt';
  throw new ConfigError(
    'SALESFORCE_ACCESS_TOKEN',
    'no way to reach Salesforce is configured: set SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN, or SALESFORCE_CLIENT_ID with SALESFORCE_REDIRECT_URI (OAuth) or SALESFORCE_USERNAME and SALESFORCE_JWT_KEY_FILE (JWT bearer)',
  );
}

/** True when the environment names any Salesforce setting (otherwise the app may start a sandbox). */
export function hasSalesforceEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return CRM_SELECTING_SETTINGS.salesforce.some((k) => nonEmpty(env[k]));
}

/** The settings that come from the environment (see .env.example). */
export function salesforceConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SalesforceConfigInput {
  const input: SalesforceConfigInput = {};
  const get = (key: string) => nonEmpty(env[key]);
  const instance = get('SALESFORCE_INSTANCE_URL');
  if (instance) input.instanceUrl = settingFromEnv('SALESFORCE_INSTANCE_URL', salesforceInstanceUrlSchema, instance);
  if (get('SALESFORCE_ACCESS_TOKEN')) input.accessToken = get('SALESFORCE_ACCESS_TOKEN');
  const login = get('SALESFORCE_LOGIN_URL');
  if (login) input.loginUrl = settingFromEnv('SALESFORCE_LOGIN_URL', salesforceLoginUrlSchema, login);
  if (get('SALESFORCE_API_VERSION')) input.apiVersion = get('SALESFORCE_API_VERSION');
  // Salesforce's own API names ignore case ("lead" is Lead); a value that is neither is left for the schema to name.
  const object = get('SALESFORCE_OBJECT');
  if (object) input.object = (({ lead: 'Lead', contact: 'Contact' }) as Record<string, string>)[object.toLowerCase()] as SalesforceConfigInput['object'] ?? (object as SalesforceConfigInput['object']);
  const clientId = get('SALESFORCE_CLIENT_ID');
  const username = get('SALESFORCE_USERNAME');
  if (clientId && username) {
    input.jwt = { clientId, username, privateKey: jwtKey(env) };
  } else if (clientId) {
    input.oauth = { clientId, clientSecret: get('SALESFORCE_CLIENT_SECRET'), redirectUri: get('SALESFORCE_REDIRECT_URI') ?? '' };
  }
  const won = get('SALESFORCE_WON_WHEN')?.toLowerCase();
  const lost = get('SALESFORCE_LOST_STATUSES');
  if (won || lost) {
    input.outcome = {
      ...(won ? { wonWhen: won as 'converted' } : {}),
      ...(lost ? { lostStatuses: lost.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    };
  }
  if (get('SALESFORCE_BULK_THRESHOLD')) input.bulkThreshold = numberFrom('SALESFORCE_BULK_THRESHOLD', get('SALESFORCE_BULK_THRESHOLD')!);
  if (get('SALESFORCE_API_SHARE')) input.apiShare = numberFrom('SALESFORCE_API_SHARE', get('SALESFORCE_API_SHARE')!);
  if (get('SALESFORCE_LOOKBACK_SECONDS')) input.lookbackSeconds = numberFrom('SALESFORCE_LOOKBACK_SECONDS', get('SALESFORCE_LOOKBACK_SECONDS')!);
  if (get('SALESFORCE_BULK_POLL_TIMEOUT_MS')) input.bulkPollTimeoutMs = numberFrom('SALESFORCE_BULK_POLL_TIMEOUT_MS', get('SALESFORCE_BULK_POLL_TIMEOUT_MS')!);
  checkFromEnv(input, env);
  return input;
}

/** The variable each setting is read from, for errors in the admin's own terms (a secret one's value never quoted). */
const ENV_OF: Array<[path: string, variable: string]> = [
  ['instanceUrl', 'SALESFORCE_INSTANCE_URL'],
  ['accessToken', 'SALESFORCE_ACCESS_TOKEN'],
  ['loginUrl', 'SALESFORCE_LOGIN_URL'],
  ['apiVersion', 'SALESFORCE_API_VERSION'],
  ['object', 'SALESFORCE_OBJECT'],
  ['outcome.wonWhen', 'SALESFORCE_WON_WHEN'],
  ['outcome.lostStatuses', 'SALESFORCE_LOST_STATUSES'],
  ['bulkThreshold', 'SALESFORCE_BULK_THRESHOLD'],
  ['apiShare', 'SALESFORCE_API_SHARE'],
  ['bulkPollTimeoutMs', 'SALESFORCE_BULK_POLL_TIMEOUT_MS'],
  ['lookbackSeconds', 'SALESFORCE_LOOKBACK_SECONDS'],
  ['oauth.clientId', 'SALESFORCE_CLIENT_ID'],
  ['oauth.clientSecret', 'SALESFORCE_CLIENT_SECRET'],
  ['oauth.redirectUri', 'SALESFORCE_REDIRECT_URI'],
  ['jwt.clientId', 'SALESFORCE_CLIENT_ID'],
  ['jwt.username', 'SALESFORCE_USERNAME'],
  ['jwt.privateKey', 'SALESFORCE_JWT_KEY_FILE'],
];

/**
 * Settings read from the environment are checked here, so a bad one is named by the variable the
 * admin set (`SALESFORCE_API_SHARE`), not by the connector's key (`salesforce.apiShare`).
 */
function checkFromEnv(input: SalesforceConfigInput, env: NodeJS.ProcessEnv): void {
  const result = salesforceConfigSchema.safeParse(input);
  if (result.success) return;
  const issue = result.error.issues[0];
  const path = issue.path.filter((p) => typeof p === 'string').join('.');
  const match = ENV_OF.find(([key]) => path === key);
  if (!match) return;
  const [, variable] = match;
  const text = nonEmpty(env[variable]);
  const secret = (SALESFORCE_SECRET_VARIABLES as readonly string[]).includes(variable);
  const shown = !secret && text !== undefined ? ` (it is "${text}")` : '';
  throw new ConfigError(variable, `${issueWords(issue)}${shown}`);
}

/**
 * The JWT key, read and parsed as the settings are loaded: a key that is missing, unreadable or
 * not a private key is bad input (exit 2) named by the variable that holds it, before anything
 * runs; at the first sign-in it surfaced as "Salesforce refused signing in" (exit 1), naming
 * SALESFORCE_JWT_KEY_FILE even when the key was set inline in SALESFORCE_JWT_KEY.
 */
function jwtKey(env: NodeJS.ProcessEnv): string {
  const inline = nonEmpty(env.SALESFORCE_JWT_KEY);
  if (inline) return checkedPrivateKey('SALESFORCE_JWT_KEY', inline.replace(/\\n/g, '\n'), 'the key itself, with \\n for its line breaks');
  const file = nonEmpty(env.SALESFORCE_JWT_KEY_FILE);
  if (!file) throw new ConfigError('SALESFORCE_JWT_KEY_FILE', 'is required with SALESFORCE_USERNAME (JWT bearer flow): the PEM private key of the connected app\'s certificate');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('SALESFORCE_JWT_KEY_FILE', `cannot be read: ${file} ${unreadableBecause(err as NodeJS.ErrnoException)}`);
  }
  return checkedPrivateKey('SALESFORCE_JWT_KEY_FILE', text, `the file ${file}`);
}

/** The OS's reason in an admin's words; the code itself for the rare others. */
function unreadableBecause(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'does not exist';
  if (err.code === 'EISDIR') return 'is a folder, not the key file';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'is not readable by the user leadlift runs as (check its permissions)';
  return `(${err.code ?? err.message})`;
}

/** Only the parser's first line is quoted: never the key, which is a secret. */
function checkedPrivateKey(variable: string, text: string, where: string): string {
  try {
    createPrivateKey(text);
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new ConfigError(variable, `is not a PEM private key this machine can read (${why}): ${where} should hold the connected app's private key, from "-----BEGIN PRIVATE KEY-----" (or "-----BEGIN RSA PRIVATE KEY-----") to its END line, not its certificate`);
  }
  return text;
}

function numberFrom(key: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new ConfigError(key, `must be a number, not "${text}"`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

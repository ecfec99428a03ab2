import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CrmName } from '../../connectors/types.js';
import { parseConfigValue } from '../config/validate.js';
import { hubspotBaseUrlSchema } from '../../connectors/hubspot/config.js';
import { salesforceLoginUrlSchema } from '../../connectors/salesforce/config.js';
import { settingFromEnv } from '../../connectors/shared/url-setting.js';
import { parseTrustProxy, TRUST_PROXY_ADVICE, trustProxyProblem, type TrustProxy } from './security/trust-proxy.js';

/**
 * What the server reads from the environment (see .env.example). Secrets stay in this object
 * and are never rendered or logged; `describeSettings` says what is set without the values.
 */
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const envSchema = z.object({
  LEADLIFT_ADMIN_USER: optionalText,
  LEADLIFT_ADMIN_PASSWORD: optionalText.refine((v) => v === undefined || v.length >= 12, 'must be at least 12 characters'),
  LEADLIFT_SESSION_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters (e.g. 32 random bytes as hex)'),
  LEADLIFT_PUBLIC_URL: optionalText.refine((v) => v === undefined || URL.canParse(v), 'must be the URL the server is reached at, e.g. https://leadlift.example.com'),
  // Refused at start-up rather than mapped to something else: the admin should choose what is trusted.
  LEADLIFT_TRUST_PROXY: optionalText.superRefine((v, ctx) => {
    const problem = v === undefined ? null : trustProxyProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  LEADLIFT_METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters (e.g. 32 random bytes as hex)'),
  HUBSPOT_CLIENT_ID: optionalText,
  HUBSPOT_CLIENT_SECRET: optionalText,
  HUBSPOT_BASE_URL: optionalText,
  SALESFORCE_CLIENT_ID: optionalText,
  SALESFORCE_CLIENT_SECRET: optionalText,
  SALESFORCE_LOGIN_URL: optionalText,
  SALESFORCE_REDIRECT_URI: optionalText,
});

export interface ServerSettings {
  admin: { user: string; password: string } | null;
  /** Signs the session cookie; random per process when unset (sessions then end on restart). */
  sessionSecret: string;
  sessionSecretGenerated: boolean;
  /** Where browsers and CRMs reach this server: OAuth redirect URIs and webhook URLs derive from it. */
  publicUrl: string;
  /** LEADLIFT_PUBLIC_URL set: publicUrl is the admin's, never replaced by the port the server got (settlePublicUrl). */
  publicUrlFromEnv: boolean;
  /** express "trust proxy": set when TLS ends at a reverse proxy; a hop count or addresses, never `true` (security/trust-proxy.ts). */
  trustProxy: TrustProxy;
  /** Cookies marked Secure (the public URL is https). */
  secureCookies: boolean;
  /** Bearer token for /metrics and the detailed /readyz; null: /metrics answers this machine only. */
  metricsToken: string | null;
  hubspot: { clientId: string | null; clientSecret: string | null; apiBase: string | null };
  salesforce: { clientId: string | null; clientSecret: string | null; loginUrl: string; redirectUri: string | null };
  /** The in-process sandbox's URL when the CRMs it serves stand in for real ones (set by startHttpService). */
  sandboxUrl?: string | null;
  /** How long an install waits for the account its token belongs to (HubSpot's token details); when unset, the HUBSPOT_OAUTH_TIMEOUT_MS constant of oauth-deadline.ts (10 s), not a setting. */
  accountLookupTimeoutMs?: number;
  /** How long an install waits for the CRM's token endpoint to trade its code; when unset, the connectors' constants (10 s, oauth-deadline.ts), not a setting. */
  codeExchangeTimeoutMs?: number;
}

export function serverSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, port = 3000): ServerSettings {
  const e = parseConfigValue(envSchema, env);
  const publicUrl = (e.LEADLIFT_PUBLIC_URL ?? localPublicUrl(port)).replace(/\/+$/, '');
  const admin = e.LEADLIFT_ADMIN_USER && e.LEADLIFT_ADMIN_PASSWORD ? { user: e.LEADLIFT_ADMIN_USER, password: e.LEADLIFT_ADMIN_PASSWORD } : null;
  return {
    admin,
    sessionSecret: e.LEADLIFT_SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionSecretGenerated: !e.LEADLIFT_SESSION_SECRET,
    publicUrl,
    publicUrlFromEnv: e.LEADLIFT_PUBLIC_URL !== undefined,
    trustProxy: parseTrustProxy(e.LEADLIFT_TRUST_PROXY),
    secureCookies: publicUrl.startsWith('https:'),
    metricsToken: e.LEADLIFT_METRICS_TOKEN ?? null,
    // The connectors' own checks of these addresses, so the install flows accept what the loop does.
    hubspot: { clientId: e.HUBSPOT_CLIENT_ID ?? null, clientSecret: e.HUBSPOT_CLIENT_SECRET ?? null, apiBase: e.HUBSPOT_BASE_URL ? settingFromEnv('HUBSPOT_BASE_URL', hubspotBaseUrlSchema, e.HUBSPOT_BASE_URL) : null },
    salesforce: {
      clientId: e.SALESFORCE_CLIENT_ID ?? null,
      clientSecret: e.SALESFORCE_CLIENT_SECRET ?? null,
      loginUrl: e.SALESFORCE_LOGIN_URL ? settingFromEnv('SALESFORCE_LOGIN_URL', salesforceLoginUrlSchema, e.SALESFORCE_LOGIN_URL) : 'https://login.salesforce.com',
      redirectUri: e.SALESFORCE_REDIRECT_URI ?? null,
    },
  };
}

/** The public URL when LEADLIFT_PUBLIC_URL is unset: this machine, at the server's port. */
function localPublicUrl(port: number): string {
  return `http://localhost:${port}`;
}

/**
 * Once the server listens: without LEADLIFT_PUBLIC_URL, the public URL names the port it got.
 * With PORT=0 the port is known only then, and "localhost:0" in the logged admin address, the
 * install redirect URIs and the sandbox's webhook URL pointed nowhere.
 */
export function settlePublicUrl(s: ServerSettings, listeningPort: number): void {
  if (!s.publicUrlFromEnv) s.publicUrl = localPublicUrl(listeningPort);
}

/**
 * Where a CRM sends the admin back after consent: SALESFORCE_REDIRECT_URI when the connected app
 * names another one, else this server's callback. Read when used, since a test server learns its
 * public URL only once it listens.
 */
export function installRedirectUri(s: ServerSettings, crm: 'hubspot' | 'salesforce'): string {
  return crm === 'salesforce' && s.salesforce.redirectUri ? s.salesforce.redirectUri : `${s.publicUrl}/install/${crm}/callback`;
}

/**
 * For the startup log: which settings are present, never their values. A CRM's settings are
 * spoken of only when that CRM is served (`serve --crm salesforce` has no use for HubSpot's).
 */
export function describeSettings(s: ServerSettings, served: readonly CrmName[]): string[] {
  const notes: string[] = [];
  if (!s.admin) notes.push('admin login is disabled: set LEADLIFT_ADMIN_USER and LEADLIFT_ADMIN_PASSWORD');
  if (s.sessionSecretGenerated) notes.push('LEADLIFT_SESSION_SECRET is not set: a random one is used, so sessions end when the server restarts and a login works only on this instance, not on others sharing the store');
  if (!s.metricsToken) {
    notes.push(
      s.trustProxy === false
        ? 'LEADLIFT_METRICS_TOKEN is not set: /metrics answers only to clients on this machine'
        : 'LEADLIFT_METRICS_TOKEN is not set: /metrics is refused to everyone, since behind a proxy (LEADLIFT_TRUST_PROXY) every client can look local',
    );
  }
  if (s.secureCookies && s.trustProxy === false) {
    // leadlift serves plain http itself, so an https public URL means TLS ends in front of it.
    notes.push(
      `LEADLIFT_PUBLIC_URL is https but LEADLIFT_TRUST_PROXY is not set: leadlift serves plain http, so behind the TLS proxy it sees every request as http, sets no (Secure) session cookie and no admin can log in; ${TRUST_PROXY_ADVICE}`,
    );
  }
  if (served.includes('hubspot') && !s.hubspot.clientSecret) notes.push('HUBSPOT_CLIENT_SECRET is not set: HubSpot webhooks are refused and the HubSpot install is unavailable');
  return notes;
}

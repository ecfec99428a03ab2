import type { HubspotApp } from './store.js';

/**
 * What an install URL's `scope` and `optional_scope` grant, checked against the app's scopes as
 * HubSpot checks them before the consent screen: every scope the app requires must be in `scope`
 * (one only in `optional_scope` does not count), and neither parameter may name a scope the app
 * does not configure, required or optional. Optional scopes are granted when the portal has the
 * tool behind them, which the sandbox portal always has. Either parameter is space-separated.
 */
export type InstallScopes = { ok: true; granted: string[] } | { ok: false; missingRequired: string[]; notConfigured: string[] };

export function installScopes(app: HubspotApp, scope: string, optionalScope: string): InstallScopes {
  const requested = words(scope);
  const optional = words(optionalScope);
  const configured = new Set([...app.scopes, ...app.optionalScopes]);
  const missingRequired = app.scopes.filter((s) => !requested.includes(s));
  const notConfigured = [...new Set([...requested, ...optional])].filter((s) => !configured.has(s));
  if (missingRequired.length > 0 || notConfigured.length > 0) return { ok: false, missingRequired, notConfigured };
  return { ok: true, granted: [...new Set([...requested, ...optional])] };
}

const words = (list: string): string[] => list.split(/\s+/).filter(Boolean);

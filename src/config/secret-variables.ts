/**
 * leadlift's own settings whose values are secrets (the connectors list theirs beside their
 * config): scrubbed from every log line and stored error (src/jobs/run-error.ts).
 */
export const APP_SECRET_VARIABLES = [
  // The store's key for the CRMs' OAuth tokens.
  'LEADLIFT_SECRET_KEY',
  // The admin pages' (src/server/settings.ts).
  'LEADLIFT_ADMIN_PASSWORD',
  'LEADLIFT_SESSION_SECRET',
  'LEADLIFT_METRICS_TOKEN',
  // The local sandbox's connected app: stands in for an org's consumer secret.
  'LEADLIFT_SANDBOX_SALESFORCE_CLIENT_SECRET',
] as const;

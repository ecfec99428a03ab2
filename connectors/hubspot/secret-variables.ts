/**
 * The HubSpot settings whose values are secrets: scrubbed from every log line and stored error
 * (src/jobs/run-error.ts), never quoted back. An OAuth app's client secret and refresh token live
 * in the token provider, which the connector's own secrets() does not reach, so they are listed.
 */
export const HUBSPOT_SECRET_VARIABLES = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_REFRESH_TOKEN'] as const;

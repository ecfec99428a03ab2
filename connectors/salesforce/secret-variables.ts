/**
 * The Salesforce settings whose values are secrets: never quoted in a settings error (config.ts)
 * and scrubbed from every log line and stored error (src/jobs/run-error.ts). SALESFORCE_JWT_KEY_FILE
 * is a path, not the key: the key read from it is the connector's own secret (secrets()).
 */
export const SALESFORCE_SECRET_VARIABLES = ['SALESFORCE_ACCESS_TOKEN', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_JWT_KEY'] as const;

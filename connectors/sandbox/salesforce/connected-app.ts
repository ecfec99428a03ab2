/**
 * The connected app the Salesforce sandbox knows: its token endpoint refuses any other consumer
 * key (invalid_client_id) and a wrong consumer secret (invalid_client), as Salesforce does.
 * Fixed defaults, so a client can be configured before the sandbox starts; the sandbox listens
 * on 127.0.0.1 only. LEADLIFT_SANDBOX_SALESFORCE_CLIENT_ID / _CLIENT_SECRET override them.
 */
export interface SalesforceConnectedApp {
  clientId: string;
  clientSecret: string;
}

export const DEFAULT_SALESFORCE_APP: SalesforceConnectedApp = { clientId: 'leadlift-sandbox', clientSecret: 'leadlift-sandbox-secret' };

export function salesforceConnectedApp(given: Partial<SalesforceConnectedApp> = {}, env: NodeJS.ProcessEnv = process.env): SalesforceConnectedApp {
  const fromEnv = (name: string) => env[name]?.trim() || undefined;
  return {
    clientId: given.clientId ?? fromEnv('LEADLIFT_SANDBOX_SALESFORCE_CLIENT_ID') ?? DEFAULT_SALESFORCE_APP.clientId,
    clientSecret: given.clientSecret ?? fromEnv('LEADLIFT_SANDBOX_SALESFORCE_CLIENT_SECRET') ?? DEFAULT_SALESFORCE_APP.clientSecret,
  };
}

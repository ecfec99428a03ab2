import http from 'node:http';
import https from 'node:https';
import type { Client } from '@hubspot/api-client';
import { HubspotTimeoutError } from './errors.js';

/** The OAuth APIs' per-call options (PromiseConfigurationOptions of the SDK's oauth module). */
export type OAuthCallOptions = NonNullable<Parameters<Client['oauth']['accessTokensApi']['get']>[1]>;

/**
 * How long an OAuth request to HubSpot (token exchange, refresh, token details) may take. They
 * answer in well under a second; a server that takes the connection and never answers would
 * otherwise hold its caller forever: the install callback (the admin's browser spinning with
 * the tokens already in hand) or a cycle refreshing its token.
 */
export const HUBSPOT_OAUTH_TIMEOUT_MS = 10_000;

/**
 * `send` given `timeoutMs`: it gets call options that send the request through an HTTP agent of
 * its own, and at the deadline the agent is destroyed, which closes the request's socket, and the
 * call fails with a HubspotTimeoutError carrying `advice`. The SDK itself has no timeout, and
 * dropping the promise alone would leave the socket open until the far end gave up. The agent
 * goes in per call, as a middleware: the oauth module's generated APIs skip the configured
 * middleware (the Client's `httpAgent` among them) when a call passes no options.
 */
export async function withinDeadline<T>(
  basePath: string,
  timeoutMs: number,
  action: string,
  advice: string,
  send: (options: OAuthCallOptions) => Promise<T>,
): Promise<T> {
  const agent = basePath.startsWith('https:') ? new https.Agent() : new http.Agent();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HubspotTimeoutError(action, timeoutMs, advice)), timeoutMs);
  });
  try {
    // The losing promise's rejection (the destroyed socket) is handled by the race: never unhandled.
    return await Promise.race([send(throughAgent(agent)), deadline]);
  } finally {
    clearTimeout(timer);
    agent.destroy();
  }
}

function throughAgent(agent: http.Agent): OAuthCallOptions {
  return {
    middleware: [
      {
        pre: async (context) => {
          context.setAgent(agent);
          return context;
        },
        post: async (context) => context,
      },
    ],
    // After the client's own middleware (its headers), which 'replace' would drop.
    middlewareMergeStrategy: 'append',
  };
}

import type { Connection } from 'jsforce';

type HttpRequestFn = (req: unknown, options?: { retry?: Record<string, unknown> } & Record<string, unknown>) => unknown;

/**
 * Turns off jsforce's own retries on `conn`, so the connector's p-retry (api-caller.ts) is the one
 * retry layer. jsforce 3 quietly retries a GET up to 5 times on a network error or a 5xx (0.5 s
 * doubling: 15.5 s), under our own 4 retries: 88 s of silence against an instance URL where
 * nothing listens, requests the API budget never counted, and no note for the admin. jsforce
 * takes retry options only per request, and every call it makes goes through the connection's
 * transport, so that is where they are set; its 420 handling (a deleted scratch org) stays.
 */
export function withOneRetryLayer(conn: Connection): Connection {
  const transport = (conn as unknown as { _transport?: { httpRequest?: HttpRequestFn } })._transport;
  if (!transport?.httpRequest) return conn;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req, options = {}) => send(req, { ...options, retry: { ...options.retry, maxRetries: 0 } });
  return conn;
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { ServerDeps } from './deps.js';

export interface RunningServer {
  url: string;
  /** The port it listens on: the one asked for, or the one the system chose for 0. */
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0 = any free port, for tests). With `publicUrlFromAddress`, the URL it
 * listens on becomes the public URL (OAuth redirects, webhook URLs): tests and local runs.
 */
export async function startServer(deps: ServerDeps, options: { port: number; host?: string; publicUrlFromAddress?: boolean }): Promise<RunningServer> {
  const app = createApp(deps);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, options.host ?? '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  if (options.publicUrlFromAddress) deps.settings.publicUrl = url;
  return {
    url,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
